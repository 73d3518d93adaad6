"""The milestone tests' world: report_data's plan (实施期 year…year + 2, 澜州市), its two tasks with
targets, and two tasks without any:

- PLATFORM (二/(三)/1, no 完成时限): 市工业和信息化局 (alias 市工信局) leads, 市通信发展管理办公室
  supports; its default milestone is due on the last day of the plan's 实施期;
- RULES (二/(四)/1, 完成时限 June 30 of `year`): 市发展和改革委员会 leads alone.

Evidence files are built here too: small real PDF/PNG/JPEG headers and zip containers whose
members say what they are."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from sqlalchemy import select

from luoshi.store.dispatch_models import Task, TaskUnit
from luoshi.store.models import AssignmentRow, Plan, PlanVersion
from tests.track import report_data
from tests.track.report_data import LEAD, OTHER_UNIT, SUPPORT  # noqa: F401 - the tests name them

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"\xff\xd9"


@dataclass
class MilestoneWorld:
    url: str
    year: int
    plan_id: int
    stock_task: int  # has targets
    platform: int
    rules: int
    lead: int
    support: int
    other_unit: int

    def store(self):
        return report_data.World.store(self)  # type: ignore[arg-type]


def build(url: str, year: int = 2024) -> MilestoneWorld:
    w = report_data.build(url, year)
    store = w.store()
    try:
        with store.session() as s:
            plan = s.scalar(select(Plan))
            plan.region_name = "澜州市"
            v = s.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id))
            a3 = AssignmentRow(version_id=v.id, position=2, start=40, end=60, section="二/(三)/1")
            a4 = AssignmentRow(version_id=v.id, position=3, start=60, end=80, section="二/(四)/1")
            s.add_all([a3, a4])
            s.flush()
            platform = Task(plan_id=plan.id, assignment_id=a3.id, section="二/(三)/1", title="建设城市数据共享平台",
                            units=[TaskUnit(unit_id=w.lead, role="lead", position=0),
                                   TaskUnit(unit_id=w.support, role="support", position=1)])
            rules = Task(plan_id=plan.id, assignment_id=a4.id, section="二/(四)/1", title="出台数据要素管理办法",
                         due=f"{year}-06-30", units=[TaskUnit(unit_id=w.other_unit, role="lead", position=0)])
            s.add_all([platform, rules])
            s.commit()
            stock_task = s.scalar(select(Task.id).where(Task.section == "二/(一)/1"))
            return MilestoneWorld(url, year, plan.id, stock_task, platform.id, rules.id, w.lead, w.support,
                                  w.other_unit)
    finally:
        store.close()


def container(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of these members, the same bytes each time (a fixed date, not the clock's)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 5, 1, 0, 0, 0)), data, compress_type=method)
    return buf.getvalue()


def docx() -> bytes:
    return container({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                      "word/document.xml": "<w:document>验收意见</w:document>".encode()})


def xlsx() -> bytes:
    return container({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                      "xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<worksheet/>"})


def ofd() -> bytes:
    return container({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})
