"""SQLModel tables (SPEC §2). Tables only: queries live in ``tuicrm.store``.

Money is stored as integer cents (exact, sortable, summable in SQL) and exposed
as ``Decimal``. Dates are ISO strings in SQLite, datetimes naive UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from tuicrm.clock import utcnow


class Money(TypeDecorator[Decimal]):
    """Decimal in Python, integer cents in the database."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | str | None, dialect: sa.Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: Any | None, dialect: sa.Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


def version_field() -> int:
    """The row's version: 1 when inserted, raised by one on every UPDATE by a trigger (migration
    0004), whoever writes, so an edit form can tell that the row changed since it was read."""
    field: int = Field(default=1, nullable=False, sa_column_kwargs={"server_default": "1"})
    return field


def money_field() -> Decimal | None:
    # SQLModel's Field() is typed as returning Any: the declared field type is the column's Python type.
    field: Decimal | None = Field(default=None, sa_column=sa.Column(Money(), nullable=True))
    return field


class Customer(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_customer_due", "archived_at", "next_follow_up_on"),
        sa.Index("ix_customer_name", "name"),
        sa.Index("ix_customer_tier", "tier"),
        sa.Index("ix_customer_status", "status"),
        sa.Index("ix_customer_renewal", "renewal_on", sqlite_where=sa.text("renewal_on IS NOT NULL")),
        # the weekly report's new customers (migration 0010): two covering range seeks
        sa.Index("ix_customer_first_contact", "first_contact_on", "created_at", "tier", "archived_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    code: str = Field(max_length=16, unique=True, nullable=False)
    name: str = Field(max_length=200, nullable=False)
    alias: Optional[str] = None
    industry: Optional[str] = None
    size: Optional[str] = None
    kind: Optional[str] = None
    source: Optional[str] = None
    first_contact_on: Optional[date] = None
    status: str = Field(default="potential", nullable=False)
    tier: str = Field(default="D", nullable=False)
    needs: Optional[str] = None
    budget_min: Optional[Decimal] = money_field()
    budget_max: Optional[Decimal] = money_field()
    purchase_by: Optional[date] = None
    revenue_total: Optional[Decimal] = money_field()
    last_deal_on: Optional[date] = None
    # 经营地址: where the business is (visits go here); 注册地址: the registered address.
    address: Optional[str] = None
    registered_address: Optional[str] = None
    region: Optional[str] = None
    company_revenue: Optional[Decimal] = money_field()  # 营收: the customer's own yearly revenue
    product_preference: Optional[str] = None
    payment_method: Optional[str] = None
    renewal_risk: Optional[str] = None  # config.RENEWAL_RISKS
    renewal_on: Optional[date] = None
    # 付款条件 as written ("月结30天", "net 30"): the due date of a won deal's receivable.
    payment_terms: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    tags: Optional[str] = None
    notes: Optional[str] = None
    owner: Optional[str] = None
    # Denormalised pending follow-up, kept consistent by tuicrm.store.followups.
    next_follow_up_on: Optional[date] = None
    next_action: Optional[str] = None
    # Lower-cased name/alias/code/phone digits/email plus contacts', for one-column search.
    search_text: str = Field(default="", nullable=False)
    archived_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Contact(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    customer_id: int = Field(foreign_key="customer.id", index=True, nullable=False)
    name: str = Field(max_length=200, nullable=False)
    title: Optional[str] = None
    department: Optional[str] = None
    role: Optional[str] = None
    phone: Optional[str] = None
    mobile: Optional[str] = None
    email: Optional[str] = None
    im: Optional[str] = None
    birthday: Optional[date] = None
    anniversary: Optional[date] = None  # 纪念日: a date the rep remembers each year
    relationship: Optional[str] = None
    prefers: Optional[str] = None
    interests: Optional[str] = None
    gender: Optional[str] = None
    education: Optional[str] = None
    work_history: Optional[str] = None
    notes: Optional[str] = None
    is_primary: bool = Field(default=False, nullable=False)
    is_key_decision_maker: bool = Field(default=False, nullable=False)
    archived_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Opportunity(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_opportunity_stage", "stage", "archived_at"),
        sa.Index("ix_opportunity_renewal", "renewal_on", sqlite_where=sa.text("renewal_on IS NOT NULL")),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    name: str = Field(max_length=200, nullable=False)
    customer_id: int = Field(foreign_key="customer.id", index=True, nullable=False)
    amount: Decimal = Field(default=Decimal("0"), sa_column=sa.Column(Money(), nullable=False))
    # ISO 4217 code of the amount (None: the configured currency). Sums never convert currencies.
    currency: Optional[str] = None
    expected_close_on: Optional[date] = None
    stage: str = Field(default="lead", nullable=False)
    probability: int = Field(default=10, nullable=False)
    # True once the rep set the probability: a move between open stages then keeps it.
    probability_set: bool = Field(default=False, nullable=False, sa_column_kwargs={"server_default": "0"})
    decision_maker_id: Optional[int] = Field(default=None, foreign_key="contact.id")
    product: Optional[str] = None
    competitors: Optional[str] = None
    strengths: Optional[str] = None
    weaknesses: Optional[str] = None
    key_success_factors: Optional[str] = None
    risks: Optional[str] = None
    plan: Optional[str] = None
    next_step: Optional[str] = None
    next_step_owner: Optional[str] = None
    next_step_due_on: Optional[date] = None
    next_step_done_on: Optional[date] = None
    owner: Optional[str] = None
    # Why a deal was lost: the category the reports count by (config.pipeline.lost_reasons or the
    # rep's own word), and the free text apart, so "price: chose Huawei" is counted as "price".
    lost_reason: Optional[str] = None
    lost_detail: Optional[str] = None
    closed_on: Optional[date] = None
    renewal_on: Optional[date] = None  # 续约: a won deal's renewal date (reminded ahead)
    archived_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class FollowUp(SQLModel, table=True):
    __tablename__ = "followup"
    __table_args__ = (
        sa.Index("ix_followup_customer_at", "customer_id", "at"),
        sa.Index("ix_followup_at", "at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    customer_id: int = Field(foreign_key="customer.id", nullable=False)
    contact_id: Optional[int] = Field(default=None, foreign_key="contact.id")
    opportunity_id: Optional[int] = Field(default=None, foreign_key="opportunity.id", index=True)
    at: datetime = Field(default_factory=utcnow, nullable=False)
    channel: str = Field(default="phone", nullable=False)
    summary: str = Field(nullable=False)
    feedback: Optional[str] = None
    attitude: Optional[str] = None
    next_action: Optional[str] = None
    next_on: Optional[date] = None
    goal: Optional[str] = None
    objection: Optional[str] = None  # 客户异议 / 疑虑与异议
    place: Optional[str] = None
    attendees: Optional[str] = None  # 我方参与人
    outcome: Optional[str] = None  # 完成状态: config.FOLLOWUP_OUTCOMES
    owner: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class TierAssessment(SQLModel, table=True):
    __tablename__ = "tierassessment"
    __table_args__ = (sa.Index("ix_tierassessment_customer", "customer_id", "assessed_on"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    customer_id: int = Field(foreign_key="customer.id", nullable=False)
    potential: int = Field(nullable=False)
    willingness: int = Field(nullable=False)
    total: int = Field(nullable=False)
    tier: str = Field(nullable=False)
    basis: Optional[str] = None
    strategy: Optional[str] = None
    assessed_on: date = Field(nullable=False)
    assessor: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class StageChange(SQLModel, table=True):
    __tablename__ = "stagechange"
    __table_args__ = (sa.Index("ix_stagechange_opportunity_at", "opportunity_id", "at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    opportunity_id: int = Field(foreign_key="opportunity.id", nullable=False)
    from_stage: Optional[str] = None
    to_stage: str = Field(nullable=False)
    at: datetime = Field(default_factory=utcnow, nullable=False)
    note: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Snooze(SQLModel, table=True):
    """A recorded move of a customer's pending follow-up (SPEC §2: never silently overwritten)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    customer_id: int = Field(foreign_key="customer.id", index=True, nullable=False)
    from_on: Optional[date] = None
    to_on: date = Field(nullable=False)
    at: datetime = Field(default_factory=utcnow, nullable=False)
    reason: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class StatusChange(SQLModel, table=True):
    """A customer's status moving from one value to another (SPEC: status history).

    Written by a trigger (migration 0004) on every change of ``customer.status``, whoever writes;
    tuicrm's own writes fill in ``by_user`` before they commit (another program's stay empty).
    """

    __tablename__ = "statuschange"
    __table_args__ = (sa.Index("ix_statuschange_customer_at", "customer_id", "at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    customer_id: int = Field(foreign_key="customer.id", nullable=False)
    from_status: Optional[str] = None
    to_status: str = Field(nullable=False)
    at: datetime = Field(default_factory=utcnow, nullable=False)
    by_user: Optional[str] = None
    note: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Lead(SQLModel, table=True):
    """A lead (template 004 线索管理表): scored with BANT, answered within its class's deadline,
    converted into a customer + contact + opportunity (the links are kept)."""

    __table_args__ = (
        sa.Index("ix_lead_status_respond", "status", "respond_by"),
        # the morning queue's reads (migration 0009): responses awaited, re-scores due
        sa.Index(
            "ix_lead_response",
            "respond_by",
            sqlite_where=sa.text(
                "status = 'new' AND respond_by IS NOT NULL AND contacted_at IS NULL AND archived_at IS NULL"
            ),
        ),
        sa.Index(
            "ix_lead_rescore",
            "rescore_on",
            sqlite_where=sa.text("status = 'nurturing' AND rescore_on IS NOT NULL AND archived_at IS NULL"),
        ),
        sa.Index("ix_lead_customer", "customer_id"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    code: str = Field(max_length=16, unique=True, nullable=False)  # L000001
    source: Optional[str] = None  # 来源: 展会, 线上广告, 转介绍…
    source_detail: Optional[str] = None  # e.g. 2024春季教育展, SEM
    company: str = Field(nullable=False)  # 客户名称
    industry: Optional[str] = None
    contact_name: Optional[str] = None
    contact_title: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    budget_text: Optional[str] = None  # 预算范围 as written ("15-20万")
    budget_min: Optional[Decimal] = money_field()  # its lower bound, what BANT scores
    needs: Optional[str] = None
    purchase_by: Optional[date] = None
    # The rep's BANT answers; None: not answered (a default applies, see domain rules).
    is_decision_maker: Optional[bool] = None
    need_clear: Optional[bool] = None
    purchase_soon: Optional[bool] = None
    score: int = Field(default=0, nullable=False)
    score_class: str = Field(default="low", nullable=False)  # high | medium | low
    respond_by: Optional[datetime] = None  # the class's response deadline
    contacted_at: Optional[datetime] = None  # first touch (answers the deadline)
    rescore_on: Optional[date] = None  # low leads: re-score after the nurture period
    status: str = Field(default="new", nullable=False)  # config.LEAD_STATUSES
    drop_reason: Optional[str] = None
    owner: Optional[str] = None
    notes: Optional[str] = None
    customer_id: Optional[int] = Field(default=None, foreign_key="customer.id")
    contact_id: Optional[int] = Field(default=None, foreign_key="contact.id")
    opportunity_id: Optional[int] = Field(default=None, foreign_key="opportunity.id")
    converted_at: Optional[datetime] = None
    archived_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Activity(SQLModel, table=True):
    """A planned visit, call, demo… (template 003 §5 销售活动计划表, 001 拜访计划)."""

    __table_args__ = (
        sa.Index("ix_activity_status_start", "status", "planned_start"),
        # the morning queue's count and items (migration 0009): live activities by start
        sa.Index(
            "ix_activity_queue",
            "planned_start",
            "customer_id",
            sqlite_where=sa.text("archived_at IS NULL AND status IN ('planned', 'in-progress')"),
        ),
        sa.Index("ix_activity_customer", "customer_id", "planned_start"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    code: str = Field(max_length=16, unique=True, nullable=False)  # A000001
    name: str = Field(nullable=False)
    kind: str = Field(default="visit", nullable=False)  # config.ACTIVITY_KINDS
    customer_id: int = Field(foreign_key="customer.id", nullable=False)
    contact_id: Optional[int] = Field(default=None, foreign_key="contact.id")
    opportunity_id: Optional[int] = Field(default=None, foreign_key="opportunity.id")
    goal: Optional[str] = None
    content: Optional[str] = None
    planned_start: datetime = Field(nullable=False)
    planned_end: Optional[datetime] = None
    actual_start: Optional[datetime] = None
    actual_end: Optional[datetime] = None
    place: Optional[str] = None
    attendees: Optional[str] = None
    resources: Optional[str] = None
    budget: Optional[Decimal] = money_field()
    status: str = Field(default="planned", nullable=False)  # config.ACTIVITY_STATUSES
    result: Optional[str] = None
    next_action: Optional[str] = None
    owner: Optional[str] = None
    creator: Optional[str] = None
    follow_up_id: Optional[int] = Field(default=None, foreign_key="followup.id")  # logged when done
    archived_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Receivable(SQLModel, table=True):
    """An amount a customer owes (template 001 客户结算收款表): settled by one or more payments.

    ``received`` and ``paid_off_on`` are kept by the store from the payments (outstanding is
    amount − received, never typed)."""

    __table_args__ = (
        sa.Index("ix_receivable_customer", "customer_id", "due_on"),
        sa.Index("ix_receivable_open", "archived_at", "paid_off_on", "due_on"),
        # the morning queue's count and items (migration 0009): open receivables by due date
        sa.Index(
            "ix_receivable_queue",
            "due_on",
            "customer_id",
            sqlite_where=sa.text("archived_at IS NULL AND received < amount AND due_on IS NOT NULL"),
        ),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    code: str = Field(max_length=16, unique=True, nullable=False)  # R000001
    customer_id: int = Field(foreign_key="customer.id", nullable=False)
    opportunity_id: Optional[int] = Field(default=None, foreign_key="opportunity.id", index=True)
    amount: Decimal = Field(default=Decimal("0"), sa_column=sa.Column(Money(), nullable=False))  # 应收金额
    currency: Optional[str] = None  # ISO code; None: the configured currency
    received: Decimal = Field(
        default=Decimal("0"), sa_column=sa.Column(Money(), nullable=False, server_default="0")
    )  # 实收金额, the sum of its payments
    settled_on: Optional[date] = None  # 结算日期
    due_on: Optional[date] = None  # 到期日
    paid_off_on: Optional[date] = None  # the day its payments reached the amount
    invoice_no: Optional[str] = None
    settled_by: Optional[str] = None  # 结算人
    notes: Optional[str] = None
    archived_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Payment(SQLModel, table=True):
    """Money received (付款). ``receivable_id`` None: a credit on the customer (an excess, kept)."""

    __table_args__ = (
        sa.Index("ix_payment_customer", "customer_id", "paid_on"),
        sa.Index("ix_payment_receivable", "receivable_id"),
        sa.Index("ix_payment_paid_on", "paid_on"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    code: str = Field(max_length=16, unique=True, nullable=False)  # P000001
    customer_id: int = Field(foreign_key="customer.id", nullable=False)
    receivable_id: Optional[int] = Field(default=None, foreign_key="receivable.id")
    amount: Decimal = Field(default=Decimal("0"), sa_column=sa.Column(Money(), nullable=False))
    currency: Optional[str] = None
    paid_on: date = Field(nullable=False)  # 付款日期
    method: Optional[str] = None  # 付款方式: config.PAYMENT_METHODS
    settled_by: Optional[str] = None
    reference: Optional[str] = None  # invoice / voucher number
    notes: Optional[str] = None
    archived_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Complaint(SQLModel, table=True):
    """A customer complaint (template 001 客户投诉管理卡 / 投诉记录表), handled within its deadline."""

    __table_args__ = (
        sa.Index("ix_complaint_status_deadline", "status", "deadline_at"),
        # the morning queue's count and items (migration 0009): open complaints by deadline
        sa.Index(
            "ix_complaint_queue",
            "deadline_at",
            "customer_id",
            sqlite_where=sa.text(
                "status IN ('open', 'in-progress') AND archived_at IS NULL AND deadline_at IS NOT NULL"
            ),
        ),
        sa.Index("ix_complaint_customer", "customer_id", "opened_at"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    code: str = Field(max_length=16, unique=True, nullable=False)  # K000001
    customer_id: int = Field(foreign_key="customer.id", nullable=False)
    contact_id: Optional[int] = Field(default=None, foreign_key="contact.id")
    opportunity_id: Optional[int] = Field(default=None, foreign_key="opportunity.id")
    opened_at: datetime = Field(default_factory=utcnow, nullable=False)  # 投诉日期
    channel: Optional[str] = None
    content: str = Field(nullable=False)  # 投诉内容
    cause: Optional[str] = None  # for the report's "by cause"
    severity: str = Field(default="medium", nullable=False)  # config.COMPLAINT_SEVERITIES
    deadline_at: Optional[datetime] = None  # 处理时限
    status: str = Field(default="open", nullable=False)  # config.COMPLAINT_STATUSES
    result: Optional[str] = None  # 处理结果
    resolved_at: Optional[datetime] = None
    satisfaction: Optional[int] = None  # 1–5, after resolution
    owner: Optional[str] = None
    notes: Optional[str] = None
    archived_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class ComplaintStep(SQLModel, table=True):
    """One step of a complaint's handling (处理过程), in order."""

    __tablename__ = "complaintstep"

    id: Optional[int] = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True, nullable=False)
    at: datetime = Field(default_factory=utcnow, nullable=False)
    text: str = Field(nullable=False)
    by_user: Optional[str] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class SavedFilter(SQLModel, table=True):
    """A named filter of a list (tier, status, tag, owner, due, going cold...), recalled by name in
    the CLI (``find --filter NAME``) and by its slot key in the TUI."""

    __tablename__ = "savedfilter"

    id: Optional[int] = Field(default=None, primary_key=True)
    version: int = version_field()
    name: str = Field(nullable=False, sa_column_kwargs={"unique": True})
    scope: str = Field(default="customers", nullable=False)  # the list it filters
    spec: str = Field(nullable=False)  # JSON of the filter's fields
    slot: Optional[int] = None  # 1..9: the key that recalls it in the TUI
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class Operation(SQLModel, table=True):
    """One user-visible change (a write transaction), for undo."""

    id: Optional[int] = Field(default=None, primary_key=True)
    label: str = Field(nullable=False)
    at: datetime = Field(default_factory=utcnow, nullable=False)
    undone_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


class OperationRow(SQLModel, table=True):
    """The state of one row before an operation touched it (None for an insert)."""

    __tablename__ = "operationrow"

    id: Optional[int] = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id", index=True, nullable=False)
    table_name: str = Field(nullable=False)
    row_id: int = Field(nullable=False)
    action: str = Field(nullable=False)  # insert | insert_range (row_id..before["last"]) | update | delete
    before: Optional[str] = None  # JSON of the row's columns before the change
    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_column_kwargs={"onupdate": utcnow}
    )


# Tables that undo may restore, by table name.
UNDOABLE = {
    m.__tablename__: m
    for m in (
        Customer,
        Contact,
        Opportunity,
        FollowUp,
        TierAssessment,
        StageChange,
        Snooze,
        StatusChange,
        Lead,
        Activity,
        Receivable,
        Payment,
        Complaint,
        ComplaintStep,
        SavedFilter,
    )
}
