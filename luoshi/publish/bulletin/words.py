"""How the bulletin writes its numbers, and the `Figures` that hand each one a key: every number in
the text is made here, with its source, so none is typed in by hand."""
from __future__ import annotations

from luoshi.publish.bulletin.model import Figure, Source

CN_DIGITS = "〇一二三四五六七八九"


def number(value: float | None) -> str:
    """A value as printed: no trailing zeros, thousands not grouped (official text writes 10000)."""
    if value is None:
        return "—"
    if abs(value - round(value)) < 1e-9 and abs(value) < 1e15:
        return str(round(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约"}


def goal(comparator: str, value: float, value_max: float | None = None, unit: str = "") -> str:
    """A target value as written in a table: ≥1000个, ≤1.3, 10—20%."""
    if value_max is not None:
        return f"{number(value)}—{number(value_max)}{unit}"
    return f"{SYMBOL.get(comparator, '')}{number(value)}{unit}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def points(value: float | None) -> str:
    """Points (a gap): one decimal, signed: +3.2 / -12.0."""
    if value is None:
        return "—"
    return "0.0" if abs(value) < 0.05 else f"{value:+.1f}"


def month_cn(period: str) -> str:
    """2022-09 → 2022年9月."""
    return f"{int(period[:4])}年{int(period[5:7])}月"


def ordinal_cn(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (the numbers of （一） headings)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{CN_DIGITS[tens] if tens > 1 else ''}十{CN_DIGITS[ones] if ones else ''}"


class Figures:
    """Allocates F1, F2, … in the order figures are written."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, text: str, label: str, value: float | None, *, targets=(), reports=(),
                 submissions=()) -> Figure | str:
        """A Figure; where there is no value (a "—") the bare text, as there is nothing to trace."""
        if value is None:
            return text
        self.count += 1
        return Figure(f"F{self.count}", text, label, value,
                      Source(tuple(targets), tuple(reports), tuple(sorted(set(submissions)))))

    def count_of(self, n: int, label: str, *, targets=(), reports=()) -> Figure:
        return self(str(n), label, n, targets=targets, reports=reports)

    def pct(self, value: float | None, label: str, *, targets=(), submissions=()) -> Figure | str:
        return self(percent(value), label, None if value is None else round(value, 1), targets=targets,
                    submissions=submissions)
