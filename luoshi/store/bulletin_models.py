"""The bulletins (季通报) an office generates: every generation of a region's quarter is a new
version, kept whole (the Word, PDF, HTML and xlsx files as issued, and the figures as JSON), and
never changed afterwards except to be marked published. The public reads published versions only."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.store.models import Base, utcnow


class BulletinRow(Base):
    __tablename__ = "bulletins"
    __table_args__ = (UniqueConstraint("region", "period", "version", name="uq_bulletin_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(100), index=True)  # the region's name as the title gives it
    region_code: Mapped[str | None] = mapped_column(String(12))
    period: Mapped[str] = mapped_column(String(6))  # 2022Q3
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    issue: Mapped[str] = mapped_column(String(50))  # 期号
    signed: Mapped[date] = mapped_column(Date)
    as_of: Mapped[str] = mapped_column(String(7))  # the month judged
    figures: Mapped[list] = mapped_column(JSON)  # every figure: key, label, value, text, source
    docx: Mapped[bytes] = mapped_column(LargeBinary)
    xlsx: Mapped[bytes] = mapped_column(LargeBinary)
    html: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # none where LibreOffice was not installed
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(100))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
