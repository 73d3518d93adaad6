"""Tables of the work a plan sets that numbers do not measure: milestones of tasks, with evidence,
and the key-project library (重点项目库).

Both keep their history by appending: a milestone's state is its newest update, a project is its
newest version; nothing is updated in place or deleted, so any past month can be read again."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from luoshi.store.models import VALUE, Base, utcnow

MILESTONE_STATES = ("未启动", "推进中", "已完成", "滞后")


class Evidence(Base):
    """A file handed in as proof (an acceptance record, a photo), stored once by its sha256."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str | None] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Milestone(Base):
    """A step of a task tracked by state rather than by number (完成招标, 建成投用)."""

    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due: Mapped[str | None] = mapped_column(String(10))  # ISO date
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updates: Mapped[list["MilestoneUpdate"]] = relationship(order_by="MilestoneUpdate.version",
                                                            cascade="all, delete-orphan")


class MilestoneUpdate(Base):
    """One report of a milestone's state, never changed afterwards; (milestone, version) is
    unique, so two updates racing leave one and a conflict."""

    __tablename__ = "milestone_updates"
    __table_args__ = (UniqueConstraint("milestone_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(8))  # one of MILESTONE_STATES
    as_of: Mapped[str] = mapped_column(String(10))  # ISO date the state holds from (完成日期 for 已完成)
    period: Mapped[str | None] = mapped_column(String(7))  # the month reported in, YYYY-MM
    note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(String(1000))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    source: Mapped[str] = mapped_column(String(8))  # web | api | cli | excel
    reported_by: Mapped[str | None] = mapped_column(String(100))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Project(Base):
    """A key project (重点项目): its lasting identity. What it is at a time is its versions."""

    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # 项目编号, given or assigned
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    versions: Mapped[list["ProjectVersion"]] = relationship(order_by="ProjectVersion.version",
                                                            cascade="all, delete-orphan")
    links: Mapped[list["ProjectLink"]] = relationship(cascade="all, delete-orphan")


class ProjectVersion(Base):
    """A project as it stood from `changed_at`: adding, changing, retiring and restoring each
    append a version; (project, version) is unique."""

    __tablename__ = "project_versions"
    __table_args__ = (UniqueConstraint("project_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(8))  # add | change | retire | restore
    name: Mapped[str] = mapped_column(String(300))
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    county: Mapped[str | None] = mapped_column(String(64))  # as written (区县), also when no code
    planned_investment = mapped_column(VALUE)  # 计划总投资, 万元
    completed_investment = mapped_column(VALUE)  # 累计完成投资, 万元
    planned_start: Mapped[str | None] = mapped_column(String(10))  # ISO date or YYYY-MM
    planned_end: Mapped[str | None] = mapped_column(String(10))
    actual_start: Mapped[str | None] = mapped_column(String(10))
    in_statistics: Mapped[bool] = mapped_column(Boolean, default=False)  # 入统
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8))  # web | api | cli | excel
    changed_by: Mapped[str | None] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProjectLink(Base):
    """A project counted toward a task or a target (one of the two per row)."""

    __tablename__ = "project_links"
    __table_args__ = (UniqueConstraint("project_id", "task_id", "target_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
