"""The lines of a monthly report as forms and spreadsheets send them, made clean: canonical keys
(English or the form's Chinese headers), numbers as Decimal (also from strings: "1,234.5",
"８５%", "1.2万"), text stripped. What cannot be read becomes a `Problem`, collected, never raised
one by one.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from luoshi.errors import LuoshiError
from luoshi.store.models import MAX_ID

FIELDS = ("target_id", "month_value", "cumulative", "narrative", "delay_reason", "next_steps")
LABELS = {"target_id": "目标编号", "month_value": "当月", "cumulative": "累计", "narrative": "进展情况",
          "delay_reason": "滞后原因", "next_steps": "下步措施", "unit": "单位", "period": "报告月份",
          "correction_reason": "更正说明", "submitted_by": "报送人", "lines": "报告条目"}
# Headers a form or spreadsheet may use for each field (compared without spaces, case-folded).
HEADERS = {
    "target_id": ("target_id", "target", "目标编号", "目标id", "目标序号", "编号"),
    "month_value": ("month_value", "month", "当月", "当月值", "当月完成", "本月", "本月完成"),
    "cumulative": ("cumulative", "total", "累计", "累计值", "累计完成", "累计完成值"),
    "narrative": ("narrative", "progress", "进展情况", "进展", "工作进展", "完成情况"),
    "delay_reason": ("delay_reason", "滞后原因", "滞后原因分析"),
    "next_steps": ("next_steps", "下步措施", "下一步措施", "下步工作"),
}
_KEYS = {re.sub(r"\s+", "", h).casefold(): f for f, hs in HEADERS.items() for h in hs}
_SCALE = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_QUANTUM = Decimal("0.000001")  # the stored scale: Numeric(28, 6)
_LIMIT = Decimal(10) ** 22
TEXT_LIMIT = 2000  # 进展情况, 滞后原因, 下步措施: a paragraph, not a document


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a report: `line` is the index in the submitted lines (None: the report
    as a whole), `target_id` as given, `field` a key of FIELDS (or unit/period/…), `message` Chinese."""

    line: int | None
    target_id: int | str | None
    field: str
    message: str

    def where(self, place: str | None = None) -> str:
        """Where the problem is: 第3条（目标 12）, or with the line's `place` in a file 第4行（目标 12）;
        empty for the report as a whole."""
        if self.line is None:
            return ""
        place = place or f"第{self.line + 1}条"
        return place + (f"（目标 {self.target_id}）" if self.target_id not in (None, "") else "")

    def __str__(self) -> str:
        return self.text()

    def text(self, place: str | None = None) -> str:
        where = self.where(place)
        return f"{where + ' ' if where else ''}{LABELS.get(self.field, self.field)}：{self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


class ReportInvalid(LuoshiError):
    """A report with problems; nothing of it was stored."""

    code = "report_invalid"
    http_status = 422

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(f"报告未保存：共 {len(self.problems)} 处问题。" + "；".join(map(str, self.problems[:3]))
                         + ("……" if len(self.problems) > 3 else ""))

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "problems": [p.to_dict() for p in self.problems]}


@dataclass
class Line:
    """One readable line (numbers that could not be read are None, with a Problem beside)."""

    index: int
    target_id: int | None
    raw_target: object
    month_value: Decimal | None
    cumulative: Decimal | None
    narrative: str | None
    delay_reason: str | None
    next_steps: str | None

    def values(self) -> dict:
        return {f: getattr(self, f) for f in FIELDS}


def canonical_key(key: object) -> str | None:
    return _KEYS.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(key))).casefold())


def parse_number(value: object) -> Decimal | None:
    """A number from a form or spreadsheet cell; None for an empty cell; ValueError (Chinese) else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"应为数字，“{value}”不是数字")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("应为有限的数字")
        d = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        s = re.sub(r"[,\s]", "", text).removesuffix("%")
        scale = next((f for w, f in _SCALE.items() if s.endswith(w)), Decimal(1))
        s = s.removesuffix("万亿").removesuffix("亿").removesuffix("万") if scale != 1 else s
        if not _NUMBER.fullmatch(s):
            raise ValueError(f"“{value}”不是数字")
        try:
            d = Decimal(s) * scale
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字") from None
    if not d.is_finite():
        raise ValueError("应为有限的数字")
    if abs(d) >= _LIMIT:
        raise ValueError(f"数值 {value} 过大")
    return d.quantize(_QUANTUM)


def _target_id(value: object) -> int | None:
    """An id as forms and sheets write it; None when it is none, or beyond any stored key."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_ID:
        value = int(value)  # a spreadsheet's 12.0
    if isinstance(value, int):
        return value if abs(value) <= MAX_ID else None
    text = unicodedata.normalize("NFKC", str(value or "")).strip().removesuffix(".0")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_ID else None


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_lines(lines: object) -> tuple[list[Line], list[Problem]]:
    """Readable lines and the problems of reading them (unknown keys, bad numbers, missing fields)."""
    if not isinstance(lines, (list, tuple)) or not lines:
        return [], [Problem(None, None, "lines", "报告没有任何条目")]
    out, problems = [], []
    for i, raw in enumerate(lines):
        if not isinstance(raw, dict):
            problems.append(Problem(i, None, "lines", "不是一个条目（应为含 target_id、累计等字段的对象）"))
            continue
        d = {canonical_key(k): v for k, v in raw.items()}
        raw_target = d.get("target_id")
        tid = _target_id(raw_target)
        shown = tid if tid is not None else _text(raw_target)
        problems += [Problem(i, shown, "lines", f"未知字段“{k}”") for k in raw if canonical_key(k) is None]
        if raw_target is None or _text(raw_target) is None:
            problems.append(Problem(i, None, "target_id", "目标编号必填"))
        elif tid is None:
            problems.append(Problem(i, shown, "target_id", f"目标编号应为整数，“{raw_target}”不是"))
        numbers = {}
        for field in ("month_value", "cumulative"):
            try:
                numbers[field] = parse_number(d.get(field))
            except ValueError as e:
                numbers[field] = None
                problems.append(Problem(i, shown, field, str(e)))
        if d.get("cumulative") is None or _text(d.get("cumulative")) is None:
            problems.append(Problem(i, shown, "cumulative", "累计值必填"))
        for field in ("narrative", "delay_reason", "next_steps"):
            if len(_text(d.get(field)) or "") > TEXT_LIMIT:
                problems.append(Problem(i, shown, field, f"过长（{len(_text(d.get(field)))} 字，最多 {TEXT_LIMIT} 字）"))
        out.append(Line(i, tid, shown, numbers["month_value"], numbers["cumulative"], _text(d.get("narrative")),
                        _text(d.get("delay_reason")), _text(d.get("next_steps"))))
    return out, problems
