"""The registry of responsible units (责任单位) behind monthly dispatch.

A plan names its units relative to its region: 市工信局 in a 聊城 plan is 聊城市工业和信息化局, in
a 菏泽 plan another office. Unit names and aliases are unique in the store, so a unit is named
absolutely: the plan's region (or the parent region a 省… name means) replaces the leading
省/市/县/区, a collective (各县(市、区)人民政府) gets the region in front, and the alias table gives
the office's canonical name (unit_names.py). Every spelling met, made absolute, is an alias, the
canonical name too. Names without such a prefix (中国铁塔聊城分公司, 山东证监局) stay as written,
with the plan's region as the unit's region.

`resolve(session, name, region_code)` finds a unit; `get_or_create` registers one;
`build_registry(session)` registers the units of every plan's newest version."""
from __future__ import annotations

import os

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.store.dispatch_models import Task, TaskUnit, Unit, UnitAlias
from luoshi.store.models import AssignmentRow, Plan, Region
from luoshi.store.plans import latest_versions
from luoshi.track.unit_names import (COLLECTIVE, AliasTable, canonical_name, is_relative, kind_of, load_aliases,
                                    qualify)

__all__ = ["Units", "build_registry", "canonical_name", "get_or_create", "kind_of", "resolve", "unit_rows"]

ALIASES_ENV = "LUOSHI_UNIT_ALIASES"


def default_aliases() -> AliasTable:
    """The table at $LUOSHI_UNIT_ALIASES, else the shipped one (read when called, not at import)."""
    return load_aliases(os.environ.get(ALIASES_ENV) or None)


class Units:
    """Finding and registering units in one session, with what was looked up remembered."""

    def __init__(self, session: Session, aliases: AliasTable | None = None):
        self.session = session
        self.aliases = aliases or default_aliases()
        self._chains: dict[tuple, list[tuple[str, str | None]]] = {}
        self._found: dict[tuple, Unit] = {}
        self._aliases: set[str] = set()  # known to be stored

    def chain(self, region_code: str | None, region_name: str | None = None) -> list[tuple[str, str | None]]:
        """(name, code) of the region and its parents, own first; a region without a code (an
        unknown city) is its name alone."""
        key = (region_code, region_name)
        if key not in self._chains:
            out, code = [], region_code
            while code and len(out) < 4:
                r = self.session.get(Region, code)
                if r is None:
                    break
                out.append((r.name, r.code))
                code = r.parent_code
            if not out and region_name:
                out = [(canonical_name(region_name), None)]
            self._chains[key] = out
        return self._chains[key]

    def resolve(self, name: str, region_code: str | None = None, region_name: str | None = None) -> Unit | None:
        """The unit `name` means in a plan of that region, by its name or an alias of its office.
        A relative name (市工信局) without a region is found only where one region has it."""
        key = (canonical_name(name), region_code, region_name)
        if key in self._found:
            return self._found[key]
        chain = self.chain(region_code, region_name)
        full, _ = qualify(key[0], [n for n, _ in chain])
        unit = self._lookup(self.aliases.variants(full))
        if unit is None and not chain and is_relative(key[0]):
            unit = self._anywhere(key[0])
        if unit is not None:
            self._found[key] = unit
        return unit

    def get_or_create(self, name: str, region_code: str | None = None, region_name: str | None = None) -> Unit:
        """The unit `name` means, registered if new; the spelling met becomes an alias."""
        chain = self.chain(region_code, region_name)
        full, used = qualify(name, [n for n, _ in chain])
        unit = self.resolve(name, region_code, region_name)
        if unit is None:
            preferred = self.aliases.preferred(full)
            code = chain[used][1] if used is not None else region_code
            unit = Unit(name=preferred[:200], kind=kind_of(preferred), region_code=code)
            self.session.add(unit)
            self.session.flush()
            self._add_alias(unit, unit.name)
            self._found[(canonical_name(name), region_code, region_name)] = unit
        self._add_alias(unit, full[:200])
        return unit

    def _add_alias(self, unit: Unit, alias: str) -> None:
        if alias in self._aliases:
            return
        if not self.session.scalar(select(UnitAlias.id).where(UnitAlias.alias == alias)):
            self.session.add(UnitAlias(unit_id=unit.id, alias=alias))
            self.session.flush()
        self._aliases.add(alias)

    def _lookup(self, names: list[str]) -> Unit | None:
        hits = dict(self.session.execute(select(UnitAlias.alias, UnitAlias.unit_id)
                                         .where(UnitAlias.alias.in_(names))).all())
        hits.update({n: i for n, i in self.session.execute(select(Unit.name, Unit.id).where(Unit.name.in_(names)))})
        for n in names:
            if n in hits:
                return self.session.get(Unit, hits[n])
        return None

    def _anywhere(self, relative: str) -> Unit | None:
        """The one unit a relative name has in whatever region: 市工信局 is 聊城市工业和信息化局
        when 聊城 is the only region with that office."""
        found = set()
        for v in self.aliases.variants(relative):
            collective = v.startswith(COLLECTIVE)
            tail = v if collective else v[1:]
            for a, unit_id in self.session.execute(select(UnitAlias.alias, UnitAlias.unit_id)
                                                   .where(UnitAlias.alias.endswith(tail, autoescape=True))):
                prefix = a[: len(a) - len(tail)]  # the region's name: 聊城市 for 市…, any for 各…
                if prefix and prefix[-1] in ("省市县区" if collective else v[0]):
                    found.add(unit_id)
        return self.session.get(Unit, found.pop()) if len(found) == 1 else None


def resolve(session: Session, name: str, region_code: str | None = None, *, region_name: str | None = None,
            aliases: AliasTable | None = None) -> Unit | None:
    return Units(session, aliases).resolve(name, region_code, region_name)


def get_or_create(session: Session, name: str, region_code: str | None = None, *, region_name: str | None = None,
                  aliases: AliasTable | None = None) -> Unit:
    return Units(session, aliases).get_or_create(name, region_code, region_name)


def build_registry(session: Session, aliases: AliasTable | None = None, units: Units | None = None) -> list[Unit]:
    """Register the units of every plan's newest version (the caller commits); the units, in the
    order first met."""
    units = units or Units(session, aliases)
    out: dict[int, Unit] = {}
    for v in latest_versions(session):
        plan = session.get(Plan, v.plan_id)
        for a in v.assignments:
            for u in a.units:
                unit = units.get_or_create(u.name, plan.region_code, plan.region_name)
                out.setdefault(unit.id, unit)
    return list(out.values())


def unit_rows(session: Session) -> list[dict]:
    """Every unit as a plain row: kind, region, how many current tasks (of each plan's newest
    version) it leads and supports, its other spellings."""
    from luoshi.store.search import latest_version_ids

    counts = {(u, r): n for u, r, n in session.execute(
        select(TaskUnit.unit_id, TaskUnit.role, func.count()).join(Task, Task.id == TaskUnit.task_id)
        .join(AssignmentRow, AssignmentRow.id == Task.assignment_id)
        .where(AssignmentRow.version_id.in_(latest_version_ids())).group_by(TaskUnit.unit_id, TaskUnit.role))}
    regions = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_(select(Unit.region_code).where(Unit.region_code.is_not(None))))).all())
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in session.execute(select(UnitAlias.unit_id, UnitAlias.alias).order_by(UnitAlias.id)):
        aliases.setdefault(unit_id, []).append(alias)
    return [{"id": u.id, "name": u.name, "kind": u.kind, "region": regions.get(u.region_code),
             "region_code": u.region_code, "lead_tasks": counts.get((u.id, "lead"), 0),
             "support_tasks": counts.get((u.id, "support"), 0),
             "aliases": [a for a in aliases.get(u.id, []) if a != u.name]}
            for u in sorted(session.scalars(select(Unit)), key=lambda u: (u.region_code or "~", u.name))]
