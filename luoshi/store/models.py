"""The tables. Portable SQL only (SQLite, PostgreSQL and its forks such as openGauss/KingbaseES):
integer keys (SERIAL on PostgreSQL, never IDENTITY), no arrays or JSONB, Numeric for values,
times in UTC."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, Float, ForeignKey, Integer, MetaData, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}
MAX_ID = 2_147_483_647  # keys are SERIAL (int4) on PostgreSQL: a larger id names nothing


def as_id(value) -> int | None:
    """A key as people type it (ASCII digits, within the key range), else None: '²' and '１２'
    are digits to str.isdigit but no key, and 10**20 would overflow the driver."""
    text = str(value).strip() if value is not None else ""
    if text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) <= MAX_ID:
        return int(text)
    return None
VALUE = Numeric(28, 6)  # up to 10^22 at six decimals: 1.2万亿元 is 1.2e12


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Region(Base):
    """An official administrative division (民政部 codes): province, city or county."""

    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(16))  # province | city | county
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)


class Plan(Base):
    """One plan across its versions, known by its 文号 or, lacking one, its title."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    title: Mapped[str | None] = mapped_column(String(300))
    region_name: Mapped[str | None] = mapped_column(String(64), index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    level: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    versions: Mapped[list["PlanVersion"]] = relationship(back_populates="plan", order_by="PlanVersion.number")


class PlanVersion(Base):
    """One stored text of a plan. The same bytes are stored once (sha256)."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str | None] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(300))
    issuer: Mapped[str | None] = mapped_column(String(200))
    doc_number: Mapped[str | None] = mapped_column(String(100))
    issued: Mapped[str | None] = mapped_column(String(10))
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    # Counts written with the rows: a version whose rows do not add up was half-stored.
    section_count: Mapped[int] = mapped_column(Integer, default=0)
    target_count: Mapped[int] = mapped_column(Integer, default=0)
    assignment_count: Mapped[int] = mapped_column(Integer, default=0)
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON: warnings, references, metadata spans
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    plan: Mapped[Plan] = relationship(back_populates="versions")
    targets: Mapped[list["TargetRow"]] = relationship(order_by="TargetRow.position", cascade="all, delete-orphan")
    sections: Mapped[list["SectionRow"]] = relationship(order_by="SectionRow.position", cascade="all, delete-orphan")
    assignments: Mapped[list["AssignmentRow"]] = relationship(order_by="AssignmentRow.position",
                                                             cascade="all, delete-orphan")


class SectionRow(Base):
    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class TargetRow(Base):
    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(200))
    # Link to the indicator catalog: key, how it was made (exact | fuzzy | proposed | none), score.
    indicator_key: Mapped[str | None] = mapped_column(String(64), index=True)
    link_status: Mapped[str] = mapped_column(String(16), default="none")
    link_score: Mapped[float | None] = mapped_column(Float)
    value = mapped_column(VALUE, nullable=False)
    value_max = mapped_column(VALUE)
    unit: Mapped[str] = mapped_column(String(32))
    comparator: Mapped[str] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value = mapped_column(VALUE)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(8))
    quote: Mapped[str] = mapped_column(Text)


class AssignmentRow(Base):
    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(64))
    lead_count: Mapped[int] = mapped_column(Integer, default=1)
    units: Mapped[list["AssignmentUnit"]] = relationship(order_by="AssignmentUnit.position",
                                                        cascade="all, delete-orphan")


class AssignmentUnit(Base):
    """One unit of a clause, in order; the first `lead_count` lead (no arrays: portable SQL)."""

    __tablename__ = "assignment_units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200), index=True)
