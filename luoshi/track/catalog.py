"""The indicator catalog: canonical indicators, the names plans give them, their units, which way
is better and what values are plausible. Shipped in luoshi/data/indicators.toml (its format is
documented at its top); an office points LUOSHI_CATALOG at its own copy.

`load_catalog(path)` reads and validates a catalog; `catalog.link(targets)` sets indicator_key,
link_status (exact | fuzzy | proposed | none) and link_score on each target; `linker(catalog)` is
that as a callable for `save_plan(..., linker=...)`; `relink(session, catalog)` links every
stored target again after the catalog changed.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from luoshi.errors import LuoshiError
from luoshi.track.normalize import norm_name, norm_unit

SHIPPED = "indicators.toml"
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
FIELDS = {"key", "name", "aliases", "unit", "units", "direction", "nature", "range", "standard"}
REQUIRED = ("key", "name", "unit", "direction", "nature", "range")
DIRECTIONS = ("up", "down")
NATURES = ("cumulative", "annual", "ratio")


class CatalogError(LuoshiError):
    """The indicator catalog cannot be used as it is."""

    code = "catalog"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    unit: str
    direction: str  # up | down
    nature: str  # cumulative | annual | ratio
    range: tuple[float, float]
    aliases: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # other measure words for the same unit
    standard: bool = False

    def accepts_unit(self, unit: str | None) -> bool:
        u = norm_unit(unit)
        return u == norm_unit(self.unit) or u in {norm_unit(x) for x in self.units}

    def plausible(self, value: float) -> bool:
        return self.range[0] <= value <= self.range[1]


@dataclass
class Catalog:
    indicators: list[Indicator]
    source: str = SHIPPED
    by_key: dict[str, Indicator] = field(init=False)
    names: dict[str, str] = field(init=False)  # normalised name or alias → key

    def __post_init__(self):
        self.by_key = {i.key: i for i in self.indicators}
        self.names = {}
        for ind in self.indicators:
            for n in (ind.name, *ind.aliases):
                self.names.setdefault(norm_name(n), ind.key)
        self._matcher = None

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, key: str | None) -> Indicator | None:
        return self.by_key.get(key) if key else None

    def keys_for(self, name: str) -> set[str]:
        """The keys a word stands for: a key itself, or the entry that has it as name or alias."""
        if name and name.strip().casefold() in self.by_key:
            return {name.strip().casefold()}
        key = self.names.get(norm_name(name))
        return {key} if key else set()

    def match(self, indicator: str, unit: str | None = None, kind: str | None = None):
        """The best catalog entry for one target: a `luoshi.track.match.Link`."""
        if self._matcher is None:
            from luoshi.track.match import Matcher

            self._matcher = Matcher(self)
        return self._matcher.match(indicator, unit, kind)

    def link(self, targets) -> Counter:
        """Set indicator_key, link_status and link_score on each target (anything with
        indicator, unit and kind); returns the count per status."""
        counts: Counter = Counter()
        for t in targets:
            m = self.match(t.indicator, t.unit, getattr(t, "kind", None))
            t.indicator_key, t.link_status, t.link_score = m.key, m.status, m.score
            counts[m.status] += 1
        return counts


def linker(catalog: Catalog):
    """A callable for `save_plan(..., linker=...)`: links the rows before they are flushed."""

    def link_rows(rows) -> None:
        catalog.link(rows)

    return link_rows


def relink(session, catalog: Catalog) -> Counter:
    """Link every stored target again (after the office edited the catalog); the caller commits.
    Targets are linked by their (name, unit, kind), one UPDATE per combination whose link changed;
    returns the count of targets per status."""
    from sqlalchemy import func, select, update

    from luoshi.store.models import TargetRow as T

    counts: Counter = Counter()
    now = (T.indicator, T.unit, T.kind, T.indicator_key, T.link_status, T.link_score)
    for name, unit, kind, key, status, score, n in session.execute(select(*now, func.count()).group_by(*now)).all():
        m = catalog.match(name, unit, kind)
        counts[m.status] += n
        if (key, status, score) != (m.key, m.status, m.score):
            session.execute(update(T).where(T.indicator == name, T.unit == unit, T.kind == kind)
                            .values(indicator_key=m.key, link_status=m.status, link_score=m.score)
                            .execution_options(synchronize_session=False))
    return counts


def shipped_path() -> Path:
    return Path(str(resources.files("luoshi").joinpath("data", SHIPPED)))


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate a catalog file; None reads the shipped one."""
    p = Path(path) if path else shipped_path()
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise CatalogError(f"无法读取指标目录 {p}：{e.strerror or e}") from e
    return parse_catalog(raw, str(p))


def parse_catalog(raw: bytes | str, source: str = "指标目录") -> Catalog:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        data = tomllib.loads(text)
    except UnicodeDecodeError as e:
        raise CatalogError(f"指标目录 {source} 不是 UTF-8 编码的文本") from e
    except tomllib.TOMLDecodeError as e:
        where = re.search(r"line (\d+), column (\d+)", str(e))
        at = f"第 {where[1]} 行第 {where[2]} 列" if where else "某处"
        raise CatalogError(f"指标目录 {source} 不是有效的 TOML：{at}有语法错误（{e}）") from e
    extra = set(data) - {"indicator"}
    if extra:
        raise CatalogError(f"指标目录 {source} 有未知的顶层字段：{'、'.join(sorted(extra))}"
                           "（应只有 [[indicator]] 条目）")
    entries = data.get("indicator")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"指标目录 {source} 中没有 [[indicator]] 条目")
    from luoshi.track.validate import check_entry

    indicators: list[Indicator] = []
    seen_names: dict[str, str] = {}
    for i, entry in enumerate(entries, 1):
        ind = check_entry(entry, i, source)
        if ind.key in {x.key for x in indicators}:
            raise CatalogError(f"指标目录 {source} 第 {i} 个条目（key = {ind.key}）的字段 key：与前面的条目重复")
        for n in (ind.name, *ind.aliases):
            k = norm_name(n)
            if seen_names.get(k, ind.key) != ind.key:
                raise CatalogError(f"指标目录 {source} 第 {i} 个条目（key = {ind.key}）的字段 aliases："
                                   f"“{n}”已属于条目 {seen_names[k]}")
            seen_names[k] = ind.key
        indicators.append(ind)
    return Catalog(indicators, source)
