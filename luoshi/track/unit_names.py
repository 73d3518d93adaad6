"""Names of responsible units, without a database: one spelling per name (canonical_name), the
kind of unit a name is (kind_of), a name made absolute by its plan's region (qualify: 市工信局 in
a 聊城 plan is 聊城市工信局), and the other spellings of an office from the alias table
(luoshi/data/unit_aliases.toml, its format documented at its top; LUOSHI_UNIT_ALIASES points at
an office's own copy)."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from luoshi.errors import LuoshiError

SHIPPED = "unit_aliases.toml"
LEVEL_CHARS = "省市县区"
# What may stand before an office's own name: 聊城市|工信局, 阳谷县|发改局, 市|委网信办 (not 市公共|交通局).
_BOUNDARY = "省市县区州盟旗乡镇"
_NOT_PREFIX = ("市场", "区域", "县域")  # 市场监管局 is no 市 office's name with 市 dropped
COLLECTIVE = ("各", "有关", "相关")  # 各县(市、区)人民政府, 有关市政府: the plan region's
_BRACKETS = str.maketrans({"[": "(", "]": ")", "〔": "(", "〕": ")", "【": "(", "】": ")", "〈": "(", "〉": ")"})
_TRAILING = re.compile(r"(?:等(?:部门|单位)?)+$")
_SECOND_BRAND = re.compile(r"^(.{3,}?)\(([^()、,]{2,20}(?:局|委|办|厅|中心|办公室))\)$")  # 市发展改革委(能源局)
_COMPANY_CITY = re.compile(r"^(.{4,}?)市(分公司|供电公司)$")  # 中国联通聊城市分公司 = 中国联通聊城分公司


class UnitAliasError(LuoshiError):
    """The alias table cannot be used as it is."""

    code = "unit_aliases"


def canonical_name(name: str) -> str:
    """One spelling of a unit's name: NFKC (full-width brackets become half-width), no spaces,
    every kind of bracket as (), no trailing 等 / 等部门 or punctuation."""
    s = "".join(unicodedata.normalize("NFKC", name).split()).translate(_BRACKETS)
    s = s.strip("、,;:。.")
    return _TRAILING.sub("", s) or s


def kind_of(name: str) -> str:
    """government (…人民政府, …管委会, 各县(市、区)人民政府), company (…公司, …集团, …企业),
    other (universities, associations), department otherwise."""
    s = canonical_name(name)
    if s.endswith(("政府", "管委会", "办事处")) or s.endswith("管理委员会") and re.search("区|园", s):
        return "government"
    if s.endswith(("公司", "集团", "企业")):
        return "company"
    if s.endswith(("大学", "学院", "协会", "商会", "研究院", "研究所")):
        return "other"
    return "department"


def is_relative(name: str) -> bool:
    """Whether a name means an office of the plan's region (市工信局, 省发展改革委, 各县(市、区)…)."""
    s = canonical_name(name)
    if s.startswith(COLLECTIVE):
        return True
    return bool(s) and s[0] in LEVEL_CHARS and len(s) > 2 and not s.startswith(_NOT_PREFIX)


def qualify(name: str, regions: list[str]) -> tuple[str, int | None]:
    """The name made absolute with the plan's region and its parents (`regions`, own first):
    市工信局 → 聊城市工信局, 省工信厅 in a 聊城 plan → 山东省工信厅, 各县(市、区)人民政府 →
    聊城市各县(市、区)人民政府. Returns the name and the index of the region used (None: as written)."""
    s = canonical_name(name)
    if not regions or not is_relative(s):
        return s, None
    if s.startswith(COLLECTIVE):
        return regions[0] + s, 0
    for i, r in enumerate(regions):
        if r.endswith(s[0]):
            return r + s[1:], i
    return s, None


@dataclass
class AliasTable:
    """Groups of names of one office; the first of each is the canonical one."""

    groups: list[tuple[str, ...]]
    source: str = SHIPPED
    by_name: dict[str, tuple[str, ...]] = field(init=False)

    def __post_init__(self):
        self.by_name = {n: g for g in self.groups for n in g}

    def variants(self, name: str) -> list[str]:
        """`name` and the other spellings of its office, `name` first: 聊城市工信局 →
        [聊城市工信局, 聊城市工业和信息化局]. The name without a second brand in brackets
        (市发展改革委(能源局)) or without 市 in a company's city (中国联通聊城市分公司) counts too."""
        out = [name]
        for n in dict.fromkeys((name, _loose(name))):
            out.append(n)
            group, k = self._group_of(n)
            if group:
                out += [n[:k] + g for g in group]
        return list(dict.fromkeys(out))

    def preferred(self, name: str) -> str:
        """The spelling a new unit is named by: its office's canonical name from the table."""
        base = _loose(name)
        group, k = self._group_of(base)
        return base[:k] + group[0] if group else base

    def _group_of(self, name: str) -> tuple[tuple[str, ...] | None, int]:
        """The group whose name ends `name` at a word boundary, and where it starts."""
        for k in range(len(name)):
            group = self.by_name.get(name[k:])
            if group and (k == 0 or name[k - 1] in _BOUNDARY):
                return group, k
        return None, 0


def _loose(name: str) -> str:
    """The name without a second brand in brackets, or 市 in a company's city."""
    m = _SECOND_BRAND.match(name)
    if m:
        return m.group(1)
    m = _COMPANY_CITY.match(name)
    return m.group(1) + m.group(2) if m else name


def load_aliases(path: str | Path | None = None) -> AliasTable:
    """The alias table at `path`, or the shipped one; a malformed file raises UnitAliasError."""
    if path is None:
        text, source = resources.files("luoshi").joinpath("data", SHIPPED).read_text(encoding="utf-8"), SHIPPED
    else:
        try:
            text, source = Path(path).read_text(encoding="utf-8"), str(path)
        except OSError as e:
            raise UnitAliasError(f"无法读取单位别名表 {path}：{e.strerror or e}") from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise UnitAliasError(f"单位别名表 {source} 不是有效的 TOML：{e}") from e
    groups, seen = [], {}
    for i, g in enumerate(data.get("group", []), 1):
        names = g.get("names") if isinstance(g, dict) else None
        if not isinstance(names, list) or len(names) < 2 or not all(isinstance(n, str) and n.strip() for n in names):
            raise UnitAliasError(f"单位别名表 {source} 第 {i} 组：names 须是至少两个名称的列表")
        names = tuple(dict.fromkeys(canonical_name(n) for n in names))
        for n in names:
            if n in seen and seen[n] != i:
                raise UnitAliasError(f"单位别名表 {source} 第 {i} 组：“{n}”已出现在第 {seen[n]} 组")
            seen[n] = i
        groups.append(names)
    return AliasTable(groups, source)
