"""Tables of monthly dispatch (月调度): units, the tasks they own, and what they report.

A report is never overwritten: a unit's submission for a month is versioned, and a correction is
the next version with its reason. (unit, period, version) is unique, so two submissions racing
for the same version leave one stored and the other a clear conflict."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from luoshi.store.models import VALUE, Base, utcnow


class Unit(Base):
    """A responsible unit (责任单位): a department, a government, a company."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # the canonical name
    kind: Mapped[str] = mapped_column(String(16), default="department")  # department | government | company | other
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    aliases: Mapped[list["UnitAlias"]] = relationship(cascade="all, delete-orphan")


class UnitAlias(Base):
    """Another spelling of a unit (市工信局 for 市工业和信息化局); the canonical name is one too."""

    __tablename__ = "unit_aliases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)


class Task(Base):
    """A responsibility clause of a plan, made a task: the plan text it covers, its units, and the
    targets that stand in that text."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("assignment_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    section: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))  # the section's title, else the text's start
    status: Mapped[str] = mapped_column(String(8), default="未启动")  # 未启动 | 推进中 | 已完成 | 滞后
    due: Mapped[str | None] = mapped_column(String(10))  # ISO date, where the plan gives one
    units: Mapped[list["TaskUnit"]] = relationship(order_by="TaskUnit.position", cascade="all, delete-orphan")
    targets: Mapped[list["TaskTarget"]] = relationship(cascade="all, delete-orphan")


class TaskUnit(Base):
    __tablename__ = "task_units"
    __table_args__ = (UniqueConstraint("task_id", "unit_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # lead | support
    position: Mapped[int] = mapped_column(Integer)


class TaskTarget(Base):
    __tablename__ = "task_targets"
    __table_args__ = (UniqueConstraint("task_id", "target_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)


class Submission(Base):
    """One unit's report for one month, one version of it."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("unit_id", "period", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(8))  # web | api | cli | excel
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    correction_reason: Mapped[str | None] = mapped_column(Text)  # required from version 2 on
    approved: Mapped[bool] = mapped_column(Boolean, default=False)  # a late report, let in by the office
    lines: Mapped[list["ReportLine"]] = relationship(order_by="ReportLine.id", cascade="all, delete-orphan")


class ReportLine(Base):
    """What a submission says of one target."""

    __tablename__ = "report_lines"
    __table_args__ = (UniqueConstraint("submission_id", "target_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    month_value = mapped_column(VALUE)  # 当月
    cumulative = mapped_column(VALUE)  # 累计
    narrative: Mapped[str | None] = mapped_column(Text)
    delay_reason: Mapped[str | None] = mapped_column(Text)  # 滞后原因, required when behind
    next_steps: Mapped[str | None] = mapped_column(Text)  # 下步措施, required when behind
