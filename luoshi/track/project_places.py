"""Where a key project belongs, and its fields made a state: the owner unit through the unit
registry (市工信局 finds 市工业和信息化局), the county (所在区县) through the regions table, and
`prepare`, which lays the fields of an add or change over a project's state and checks the whole.

A county is kept as written; its division code is added when the name is one known division
(东昌府区), a division after its city's or province's name (济南市市中区), or one of several of that
name lying in the owner unit's region (市中区 for a unit of 济南市). Otherwise it has no code."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import String, literal, select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import Unit
from luoshi.store.models import Region
from luoshi.store.regions import match_region, short_name
from luoshi.track.project_rules import STATE, Problem, check_state, in_order, read_fields
from luoshi.track.reports import resolve_unit


def prepare(session: Session, fields: dict, base: dict | None, *, today: date) -> tuple[dict, list[Problem]]:
    """The state after `fields` are laid over `base` (None: a new project), and every problem."""
    if not isinstance(fields, dict):
        return dict(base or {}), [Problem("fields", "应为字段名与取值的对象")]
    values, problems = read_fields(fields)
    bad = {p.field for p in problems}
    state = dict(base) if base else {**dict.fromkeys(STATE), "in_statistics": False}
    unit = None
    if "unit" in values or base is None:
        unit = _unit(session, values.get("unit"), problems)
        if unit is not None:
            state["owner_unit_id"] = unit.id
    if "county" in values:
        if unit is None and state.get("owner_unit_id"):
            unit = session.get(Unit, state["owner_unit_id"])
        state["county"] = values["county"]
        state["region_code"] = region_code(session, values["county"], unit)
    state.update({k: v for k, v in values.items() if k not in ("unit", "county")})
    return state, in_order(problems + check_state(state, today=today, bad=bad))


def _unit(session: Session, written: str | None, problems: list[Problem]) -> Unit | None:
    if written is None:
        problems.append(Problem("unit", "必填"))
        return None
    unit = resolve_unit(session, written)
    if unit is None:
        problems.append(Problem("unit", f"“{written}”未在单位名录中"
                                        "（按单位全称、简称或编号查找，可用 luoshi units 查看）"))
    return unit


def region_code(session: Session, county: str | None, unit: Unit | None = None) -> str | None:
    """The division code a written county names, or None (see the module)."""
    name = re.sub(r"\s+", "", county or "")
    if not name:
        return None
    found = list(session.scalars(select(Region).where(Region.name == name)))
    if not found:
        found = _qualified(session, name)
    if not found:
        r = match_region(session, name)
        return r.code if r else None
    if len(found) > 1 and unit is not None and unit.region_code:
        prefix = re.sub(r"(?:00)+$", "", unit.region_code)  # 370100 → 3701: the divisions under 济南市
        found = [r for r in found if r.code.startswith(prefix)]
    return found[0].code if len(found) == 1 else None


def _qualified(session: Session, name: str) -> list[Region]:
    """Counties written after their city's and/or province's name (聊城市东昌府区, 山东省阳谷县)."""
    ends = literal(name, String).like(literal("%", String) + Region.name)
    out = []
    for r in session.scalars(select(Region).where(ends, Region.level == "county", Region.name != name)):
        rest, parents, code = name[: len(name) - len(r.name)], [], r.parent_code
        while code and (p := session.get(Region, code)) is not None:
            parents.append(p)
            code = p.parent_code
        for p in reversed(parents):  # the province first, then the city
            rest = next((rest[len(n):] for n in (p.name, short_name(p.name)) if rest.startswith(n)), rest)
        if not rest:
            out.append(r)
    return out
