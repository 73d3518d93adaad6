"""Responsibility clauses (责任单位): who leads a task and who works with them.

Forms: 〔责任单位:…〕, (责任单位:…), (牵头单位:…;配合单位:…), (…牵头,…配合,…负责), (…分工负责),
(…负责), the same labels bare on their own line, unclosed clauses. Units split on 、 , ; outside
parentheses, so 各县(市、区)人民政府 stays one unit.
"""
from __future__ import annotations

import re

from luoshi.extract.outline import section_at
from luoshi.model import Assignment

# 主办单位/承办单位 are left out on purpose: they label a web page's footer, not a task.
LABEL = r"(?:责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|参与单位|协同单位|协办单位)"
_LABEL_AT = re.compile(rf"\s*{LABEL}\s*[:]")
# Label lines standing alone; consecutive ones (牵头单位：… / 责任单位：…) make one clause.
_BARE_LINE = re.compile(rf"^[ \t]*(?:{LABEL})\s*:[^\n]*(?:\n[ \t]*(?:{LABEL})\s*:[^\n]*)*", re.M)
_ROLE_END = re.compile(r"(?:按职责)?(?:分工负责|共同负责|负责|牵头|配合)$")
# What an office's name ends with; a bracket ending in 负责 that names none is no clause.
_UNITISH = re.compile(r"(?:局|委|厅|办|府|公司|中心|集团|部门|单位|管委会|院|队|行|署|室|会|社|所|处|部|站|馆|台|校|团|组)")


def find_assignments(view_text: str, folded: str) -> list[tuple[int, int, list[str], int]]:
    """(start, end, units, lead_count) per clause, in view offsets, in text order."""
    found = []
    taken_until = -1
    i = folded.find("(")
    while i >= 0:
        if i < taken_until:
            i = folded.find("(", taken_until)
            continue
        end, closed = _match_bracket(folded, i)
        inner = folded[i + 1 : end - 1 if closed else end]
        parsed = _parse(view_text[i + 1 : i + 1 + len(inner)], inner)
        if parsed:
            units, lead = parsed
            e = end
            while not closed and e > i and folded[e - 1] in " \t\r":
                e -= 1
            found.append((i, e, units, lead))
            taken_until = e
        i = folded.find("(", i + 1)
    for m in _BARE_LINE.finditer(folded):
        s = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t"))
        e = m.end()
        while e > s and folded[e - 1] in " \t\r":
            e -= 1
        if any(a <= s < b for a, b, _, _ in found):
            continue
        parsed = _parse(view_text[s:e], folded[s:e])
        if parsed:
            found.append((s, e, parsed[0], parsed[1]))
    found.sort()
    return found


def _match_bracket(folded: str, i: int) -> tuple[int, bool]:
    """End (exclusive) of the bracket opened at i; unclosed brackets run to the line's end."""
    depth = 0
    j = i
    n = len(folded)
    while j < n:
        c = folded[j]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1, True
        elif c == "\n":
            break
        j += 1
    return j, False


def _split(view: str, folded: str) -> list[str]:
    """Split on 、 , ; outside parentheses; pieces come from the unfolded text."""
    out, depth, last = [], 0, 0
    for k, c in enumerate(folded):
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and c in "、,;":
            out.append(view[last:k])
            last = k + 1
    out.append(view[last:])
    return out


def split_units(view: str, folded: str) -> list[str]:
    """A table cell of unit names → the names."""
    return [u for u in (_clean_unit(x) for x in _split(view, folded)) if u]


def _clean_unit(u: str) -> str:
    u = "".join(u.split())
    u = re.sub(r"(?:按职责分工负责|按职责负责|分工负责|共同负责)$", "", u)
    for suffix in ("等部门", "等单位", "等"):
        if u.endswith(suffix) and len(u) > len(suffix) + 1:
            u = u[: -len(suffix)]
            break
    return u


def _parse(view: str, folded: str) -> tuple[list[str], int] | None:
    if _LABEL_AT.match(folded):
        has_lead_label = bool(re.search(r"牵头(?:单位|部门)", folded))
        lead, rest = [], []
        for piece_v, piece_f in _segments(view, folded):
            m = re.match(rf"\s*({LABEL})\s*:", piece_f)
            label = m.group(1) if m else ""
            if m:
                piece_v, piece_f = piece_v[m.end():], piece_f[m.end():]
            for u in _split(piece_v, piece_f):
                u = _clean_unit(u)
                if u.endswith("牵头") and len(u) > 2:  # 责任单位：省能源局牵头，…按职责分工负责
                    lead.append(u[:-2])
                elif u.endswith("配合") and len(u) > 2:
                    rest.append(u[:-2])
                elif u:
                    # 责任单位 after a 牵头单位 label names the co-responsible units.
                    (lead if label.startswith("牵头") or (not has_lead_label and not label.startswith(
                        ("配合", "参与", "协办", "协同"))) and not lead else rest).append(u)
        units = lead + rest
        if not units:
            return None
        return units, max(1, len(lead)) if has_lead_label or len(lead) > 1 else 1
    stripped = folded.rstrip()
    if not _ROLE_END.search(stripped) or not _UNITISH.search(folded) or len(stripped) > 200:
        return None
    # (A牵头, B、C配合, D负责) / (A、B分工负责) / (A负责): a role word closes the run of units
    # listed since the previous one; leads first, then supporters, then the rest.
    groups = {"lead": [], "support": [], "plain": []}
    run: list[str] = []
    for u in _split(view, folded):
        u = _clean_unit(u)
        role = None
        for word, r in (("按职责分工负责", "plain"), ("分工负责", "plain"), ("共同负责", "plain"),
                        ("负责", "plain"), ("牵头", "lead"), ("配合", "support")):
            if u.endswith(word):
                u, role = _clean_unit(u[: -len(word)]), r
                break
        if u:
            if len(u) > 30 or not run and not groups["lead"] and not _UNITISH.search(u):
                return None  # the first name must look like an office's
            run.append(u)
        if role:
            groups[role] += run
            run = []
    groups["plain"] += run
    units = groups["lead"] + groups["support"] + groups["plain"]
    if not units:
        return None
    return units, len(groups["lead"]) or 1


_NEXT_LABEL = re.compile(rf"\s*{LABEL}\s*:")


def _segments(view: str, folded: str):
    """Split before each label, at the ; or , that precedes it (牵头单位:…;配合单位:… or 牵头单位:…,配合单位:…),
    and at ; outside parentheses."""
    depth, last = 0, 0
    for k, c in enumerate(folded):
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (c in ";\n" or c == "," and _NEXT_LABEL.match(folded, k + 1)):
            yield view[last:k], folded[last:k]
            last = k + 1
    yield view[last:], folded[last:]


def to_assignments(found, view, heads) -> list[Assignment]:
    out = []
    prev_end = 0
    for s, e, units, lead in found:
        h = section_at(heads, s)
        cover_start = max(prev_end, h.start if h else 0)
        out.append(Assignment(units=units, span=view.span(s, e), lead_count=lead,
                              section=h.path if h else None, covers=view.span(cover_start, s)))
        prev_end = e
    return out
