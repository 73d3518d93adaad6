"""What a key project (重点项目) may hold, without the database: the fields as forms, the CLI and
spreadsheets send them, read clean (investments in 万元 as Decimal, dates as ISO text), and the
rules across fields. Every problem is collected as a `Problem`; `ProjectInvalid` carries them all.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal

from luoshi.errors import LuoshiError
from luoshi.track.report_lines import parse_number

FIELDS = ("name", "unit", "county", "planned_investment", "completed_investment", "planned_start", "planned_end",
          "actual_start", "in_statistics")
# A version's snapshot of a project (what `change` compares; unit and county are resolved).
STATE = ("name", "owner_unit_id", "region_code", "county", "planned_investment", "completed_investment",
         "planned_start", "planned_end", "actual_start", "in_statistics")
LABELS = {"name": "项目名称", "unit": "责任单位", "owner_unit_id": "责任单位", "county": "所在区县",
          "region_code": "所在区县", "planned_investment": "计划总投资", "completed_investment": "累计完成投资",
          "planned_start": "计划开工", "planned_end": "计划竣工", "actual_start": "实际开工",
          "in_statistics": "是否入统",
          "code": "项目编号", "reason": "原因", "changed_by": "填报人", "fields": "字段", "at": "变更时间"}
NAME_MAX, CODE_MAX, COUNTY_MAX, BY_MAX = 300, 64, 64, 100
MONEY = ("planned_investment", "completed_investment")
DATES = ("planned_start", "planned_end", "actual_start")
_DATE = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:月)?\s*(?:(?:-|/|\.)?\s*(\d{1,2})\s*日?)?")
_YES = {"是", "y", "yes", "true", "1", "已入统", "入统"}
_NO = {"否", "n", "no", "false", "0", "未入统", "不入统"}
_QUANTUM = Decimal("0.000001")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a project: `field` a key of FIELDS (or code/reason/…), `message` Chinese."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{LABELS.get(self.field, self.field)}：{self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


class ProjectInvalid(LuoshiError):
    """A project add or change with problems; nothing of it was stored."""

    code = "project_invalid"
    http_status = 422

    def __init__(self, problems: list[Problem], what: str = "项目未保存"):
        self.problems = list(problems)
        super().__init__(f"{what}：共 {len(self.problems)} 处问题。" + "；".join(map(str, self.problems[:4]))
                         + ("……" if len(self.problems) > 4 else ""))

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "problems": [p.to_dict() for p in self.problems]}


def text(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def parse_investment(value: object) -> Decimal | None:
    """An amount in 万元 (1200, "1,200.5", "1200万元", "1.2亿元"); None when empty; ValueError else."""
    if isinstance(value, str):
        s = re.sub(r"[,，\s]", "", unicodedata.normalize("NFKC", value))
        if "%" in s:
            raise ValueError(f"“{value}”不是金额（应为万元数）")
        scale = Decimal(1)
        if s.endswith(("亿元", "亿")):
            s, scale = s.removesuffix("元").removesuffix("亿"), Decimal(10000)
        elif s.endswith(("万元", "万")):
            s = s.removesuffix("元").removesuffix("万")
        elif s.endswith("元"):
            raise ValueError(f"“{value}”的单位应为万元（如 1200 或 1200万元）")
        try:
            d = parse_number(s)
        except ValueError:
            raise ValueError(f"“{value}”不是数字（应为万元数，如 1200.5）") from None
        d = None if d is None else (d * scale).quantize(_QUANTUM)
    else:
        d = parse_number(value)
    if d is not None and d < 0:
        raise ValueError(f"不能为负数（{value}）")
    return d


def parse_date(value: object) -> str | None:
    """A day as YYYY-MM-DD or a month as YYYY-MM (also 2024/3/5, 2024年3月, an Excel date)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    m = _DATE.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
    bad = ValueError(f"“{value}”不是有效日期：应为 YYYY-MM-DD 或 YYYY-MM，如 2024-03-15")
    if not m:
        raise bad
    y, mo = int(m.group(1)), int(m.group(2))
    if not (1 <= mo <= 12 and 1900 <= y <= 2200):
        raise bad
    if m.group(3) is None:
        return f"{y:04d}-{mo:02d}"
    try:
        return date(y, mo, int(m.group(3))).isoformat()
    except ValueError:
        raise bad from None


def parse_flag(value: object) -> bool:
    """入统 or not: 是/否, yes/no, 1/0, a checkbox's True/False; empty is 否."""
    if isinstance(value, bool):
        return value
    s = (text(value) or "否").casefold().removesuffix(".0")
    if s in _YES or s in _NO:
        return s in _YES
    raise ValueError(f"“{value}”无效：应为“是”或“否”")


def first_day(iso: str) -> date:
    return date.fromisoformat(iso if len(iso) == 10 else f"{iso}-01")


def last_day(iso: str) -> date:
    if len(iso) == 10:
        return date.fromisoformat(iso)
    y, m = int(iso[:4]), int(iso[5:7])
    return date(y, m, calendar.monthrange(y, m)[1])


def read_fields(raw: dict) -> tuple[dict, list[Problem]]:
    """The given fields read clean (an empty value clears the field), and what could not be read."""
    values, problems = {}, []
    for key, value in raw.items():
        try:
            if key in MONEY:
                values[key] = parse_investment(value)
            elif key in DATES:
                values[key] = parse_date(value)
            elif key == "in_statistics":
                values[key] = parse_flag(value)
            elif key in ("name", "unit", "county"):
                values[key] = text(value)
            else:
                problems.append(Problem("fields", f"未知字段“{key}”"))
        except ValueError as e:
            problems.append(Problem(key, str(e)))
    return values, problems


def check_state(state: dict, *, today: date, bad: set[str]) -> list[Problem]:
    """The rules across fields of a whole project; fields in `bad` could not be read and are skipped."""
    problems = []
    name = state.get("name")
    if "name" not in bad and not name:
        problems.append(Problem("name", "必填"))
    elif name and len(name) > NAME_MAX:
        problems.append(Problem("name", f"过长（{len(name)} 字，最多 {NAME_MAX} 字）"))
    if state.get("county") and len(state["county"]) > COUNTY_MAX:
        problems.append(Problem("county", f"过长（最多 {COUNTY_MAX} 字）"))
    start, end = state.get("planned_start"), state.get("planned_end")
    if start and end and not {"planned_start", "planned_end"} & bad and first_day(start) > last_day(end):
        problems.append(Problem("planned_end", f"“{end}”早于计划开工“{start}”"))
    actual = state.get("actual_start")
    if actual and "actual_start" not in bad and first_day(actual) > today:
        problems.append(Problem("actual_start", f"“{actual}”晚于今天（{today.isoformat()}），实际开工不能预填"))
    return problems


def in_order(problems: list[Problem]) -> list[Problem]:
    """Problems in the order of the form's fields (a stable sort)."""
    order = ("code", *FIELDS)
    return sorted(problems, key=lambda p: order.index(p.field) if p.field in order else len(order))
