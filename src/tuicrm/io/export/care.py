"""The columns of the after-the-deal tables in .csv/.xlsx exports (issue #18): receivables under
template 001's 客户结算收款表 headers, complaints under its 客户投诉记录表 ones, payments on a sheet
of their own. Receivable and complaint labels are headers the importer recognises
(``tuicrm.io.headers.tables``), so export → import gives the same receivables (amount due and
received: one payment of what was received) and complaints. The payments sheet is a listing: its
headers keep it from being read back as settlements or customers (the settlement sheet already
carries what was received)."""

from __future__ import annotations

CARE_KINDS = ("receivables", "payments", "complaints")

CARE_COLUMNS: dict[str, tuple[str, ...]] = {
    # The template's own columns first, in its order; then ours.
    "receivables": (
        "customer_name",
        "settled_on",
        "amount",
        "received",
        "outstanding",
        "settled_by",
        "paid_on",
        "method",
        "notes",
        "customer_code",
        "code",
        "due_on",
        "invoice_no",
        "currency",
    ),
    "payments": (
        "code",
        "customer_code",
        "customer_name",
        "receivable_code",
        "paid_on",
        "amount",
        "currency",
        "method",
        "settled_by",
        "reference",
        "notes",
    ),
    # No deadline column: the store sets it from the date and severity on the way back in.
    "complaints": (
        "code",
        "customer_code",
        "customer_name",
        "contact_name",
        "opened_at",
        "channel",
        "content",
        "cause",
        "severity",
        "status",
        "handling",
        "result",
        "satisfaction",
        "owner",
        "notes",
    ),
}

# field -> (English label, Chinese label)
CARE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "receivables": {
        "customer_name": ("Customer name", "客户名称"),
        "settled_on": ("Settlement date", "结算日期"),
        "amount": ("Amount due", "应收金额"),
        "received": ("Amount received", "实收金额"),
        "outstanding": ("Outstanding", "未收金额"),
        "settled_by": ("Settled by", "结算人"),
        "paid_on": ("Payment date", "付款日期"),
        "method": ("Payment method", "付款方式"),
        "notes": ("Notes", "备注"),
        "customer_code": ("Customer code", "客户编号"),
        "code": ("Receivable id", "结算单号"),
        "due_on": ("Due date", "到期日"),
        "invoice_no": ("Invoice number", "发票号"),
        "currency": ("Currency", "币种"),
    },
    "payments": {
        "code": ("Payment code", "付款编号"),
        "customer_code": ("Customer code", "客户编号"),
        "customer_name": ("Customer name", "客户名称"),
        "receivable_code": ("Settles", "所结应收"),
        "paid_on": ("Payment date", "付款日期"),
        "amount": ("Amount paid", "付款金额"),
        "currency": ("Currency", "币种"),
        "method": ("Payment method", "付款方式"),
        "settled_by": ("Received by", "收款人"),
        "reference": ("Reference", "凭证号"),
        "notes": ("Notes", "备注"),
    },
    "complaints": {
        "code": ("Complaint id", "投诉编号"),
        "customer_code": ("Customer code", "客户编号"),
        "customer_name": ("Customer name", "客户名称"),
        "contact_name": ("Contact name", "投诉人"),
        "opened_at": ("Complaint date", "投诉日期"),
        "channel": ("Channel", "投诉渠道"),
        "content": ("Complaint", "投诉内容"),
        "cause": ("Cause", "投诉原因"),
        "severity": ("Severity", "严重程度"),
        "status": ("Status", "处理状态"),
        "handling": ("Handling", "处理过程"),
        "result": ("Result", "处理结果"),
        "satisfaction": ("Satisfaction", "满意度"),
        "owner": ("Owner", "处理人"),
        "notes": ("Notes", "备注"),
    },
}
# A payments sheet is known by this header (the importer skips it: see the module text).
PAYMENT_CODE_HEADERS = ("付款编号", "payment code")
