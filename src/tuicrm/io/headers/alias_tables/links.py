"""Headers naming the customer a contact, follow-up, grading or opportunity row belongs to."""

_CUSTOMER_NAME_LINK = (
    "客户名称",
    "客户",
    "客户全称",
    "公司名称",
    "所属客户",
    "所属公司",
    "关联客户",
    "customer",
    "customer name",
    "company",
    "company name",
    "account",
    "account name",
    "account.name",
    "accountid",
    "organization",
    "organisation",
    "organization name",
    "organization - name",
)
_CUSTOMER_CODE_LINK = ("客户编号", "客户代码", "客户代号", "customer code", "customer_code")
