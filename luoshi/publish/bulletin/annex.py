"""What the bulletin's annex adds to its figures, and how its ids become links: every target of the
region with each number it is judged on (the bulletin's body lists at most the lagging ones for a
large region), every report the quarter owed, and the web app's routes for a target and a report."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.publish.bulletin.html import Links
from luoshi.store.dispatch_models import Submission
from luoshi.track.bulletin_data import BulletinData

LIGHT_CN = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "none": "未判断"}
STATE_CN = {"on_time": "按时", "late": "逾期", "missing": "超期未报", "pending": "未到期"}


def links_for(session: Session, data: BulletinData) -> Links:
    """Targets link to their place in the plan's text, reports and submissions to the report API."""
    d = data.dashboard
    plan_of = {t.progress.target_id: t.progress.plan_id for t in d.targets}
    units = {u.unit_id: u.name for t in d.targets for u in t.units}
    units.update({r.unit_id: r.unit for r in (*d.late, *d.missing)})
    subs = set(data.submission_of.values())
    where = {}
    for i in range(0, len(subs), 900):
        chunk = sorted(subs)[i:i + 900]
        where.update({sid: (uid, p) for sid, uid, p in session.execute(
            select(Submission.id, Submission.unit_id, Submission.period).where(Submission.id.in_(chunk)))})
    return Links(target_url=lambda tid: f"/plans/{plan_of[tid]}#t-{tid}" if tid in plan_of else f"/plans#t-{tid}",
                 report_url=lambda unit, period: f"/api/reports/{unit}/{period}",
                 submission_url=lambda sid: f"/api/reports/{where[sid][0]}/{where[sid][1]}" if sid in where else "",
                 target_name=target_names(data), unit_name=units)


def target_names(data: BulletinData) -> dict[int, str]:
    """Each target as a reader tells it apart: its indicator, and its plan's region where the
    bulletin covers several (every county has its 5G基站总数)."""
    d = data.dashboard
    several = len({t.progress.region for t in d.targets}) > 1
    return {t.progress.target_id: f"{t.progress.indicator}（{t.progress.region}）"
            if several and t.progress.region else t.progress.indicator for t in d.targets}


def annex_sheets(data: BulletinData) -> dict[str, tuple[list[str], list[list]]]:
    """The sheets the xlsx annex adds: 全部指标 and 报送明细."""
    d = data.dashboard
    targets = []
    for t in d.targets:
        p = t.progress
        targets.append([p.target_id, p.region, p.plan_title, t.area, p.indicator, p.unit,
                        "、".join(u.name for u in t.units) or p.lead_unit, p.comparator, p.value, p.value_max,
                        p.deadline, _r(p.scheduled), p.expected, p.last_value, p.last_period, p.reported_by,
                        data.submission_of.get(p.target_id), _r(p.completion), _r(p.gap), LIGHT_CN[t.light], p.status,
                        t.reason.delay_reason if t.reason else None, t.reason.next_steps if t.reason else None])
    reports = []
    owed = {(r.unit_id, r.period): r for r in (*d.late, *d.missing)}
    for s in data.units:
        for m in data.quarter.months:
            r = owed.get((s.unit_id, m))
            reports.append([s.unit_id, s.name, m, STATE_CN[r.state] if r else None, r.days if r else None])
    return {
        "全部指标": (["指标编号", "地区", "方案", "领域", "指标", "计量单位", "牵头单位", "比较", "目标值", "目标上限", "完成时限",
                   "序时进度(%)", "按序时应达到", "实际值", "实际值月份", "报送单位", "报送版本编号", "完成率(%)",
                   "差距(百分点)", "灯", "状态说明", "滞后原因", "下步措施"], targets),
        "逾期和未报": (["单位编号", "单位", "月份", "情况", "天数"], [r for r in reports if r[3]]),
    }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)
