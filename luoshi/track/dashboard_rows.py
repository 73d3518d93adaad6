"""The rows of the dashboard (luoshi.track.dashboard): counts of targets by light and the colour
rule of a child region, the totals, and a row per action area, unit, child region and target."""
from __future__ import annotations

from dataclasses import dataclass, field

from luoshi.track.dashboard_data import LeadUnit, Reason
from luoshi.track.progress import TargetProgress

DOMINANT = 1 / 3  # the share at which the worst lights colour a child region
LIGHTS = ("green", "yellow", "red", "none")


@dataclass
class Counts:
    green: int = 0
    yellow: int = 0
    red: int = 0
    none: int = 0

    def add(self, light: str) -> None:
        setattr(self, light, getattr(self, light) + 1)

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red + self.none

    @property
    def judged(self) -> int:
        return self.green + self.yellow + self.red

    def shares(self) -> dict[str, float]:
        """Each light's share of all targets, in percent (bar widths)."""
        return {k: getattr(self, k) / self.total * 100 if self.total else 0.0 for k in LIGHTS}

    @property
    def colour(self) -> str:
        """green | yellow | red ("worst-dominant share": red when red targets are at least `DOMINANT`
        of the judged ones, else yellow when red and yellow together are, else green), grey (none
        judged yet), nodata (no targets)."""
        if not self.total:
            return "nodata"
        if not self.judged:
            return "grey"
        if self.red >= DOMINANT * self.judged:
            return "red"
        return "yellow" if self.red + self.yellow >= DOMINANT * self.judged else "green"


@dataclass
class Totals:
    counts: Counts
    completion: float | None  # average, percent
    scheduled: float | None  # average 序时进度 of the same targets, percent
    averaged: int  # how many targets the averages are over


@dataclass
class AreaRow:
    plan_id: int
    plan_title: str | None
    region: str | None
    path: str
    title: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class UnitRow:
    unit_id: int
    name: str
    counts: Counts = field(default_factory=Counts)
    rate: float | None = None  # on-time rate over the recent months, percent
    on_time: int = 0
    late: int = 0
    missing: int = 0


@dataclass
class ChildRow:
    code: str
    name: str
    level: str | None
    counts: Counts = field(default_factory=Counts)
    plans: int = 0
    targets: list[int] = field(default_factory=list)  # ids of the targets counted


@dataclass
class TargetLine:
    """One target as the dashboard lists it."""

    progress: TargetProgress
    light: str  # green | yellow | red | none
    units: list[LeadUnit]
    area: str
    reason: Reason | None = None
