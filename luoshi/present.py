"""A plan for a person to read in the terminal (Rich): metadata, outline, targets, assignments."""
from __future__ import annotations

from luoshi.model import Plan

_CMP = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "约", "between": "区间", "=": "="}
_KIND = {"goal": "目标", "standard": "标准"}


def fmt_number(v: float | None) -> str:
    """Numbers as Chinese readers write them: 300亿, 1.2万, 1.25."""
    if v is None:
        return ""
    for scale, word in ((1e8, "亿"), (1e4, "万")):
        if abs(v) >= scale and round(v / scale, 4) * scale == v:
            return f"{v / scale:.4f}".rstrip("0").rstrip(".") + word
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.4f}".rstrip("0").rstrip(".")


def print_plan(plan: Plan, title: str = "", console=None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.tree import Tree

    console = console or Console()
    md = plan.metadata
    meta = Table(show_header=False, box=None, title=title or None, title_justify="left")
    meta.add_column(style="bold")
    meta.add_column()
    period = f"{md.period[0]}—{md.period[1]}年" if md.period else ""
    levels = {"province": "省级", "city": "市级", "county": "县级"}
    for k, v in (("标题", md.title), ("发文机关", md.issuer), ("文号", md.doc_number), ("成文日期", md.issued),
                 ("地区", md.region), ("层级", levels.get(md.level or "", md.level)), ("实施期", period)):
        meta.add_row(k, v or "—")
    console.print(meta)

    tree = Tree(f"提纲（{len(plan.sections)} 节）")
    nodes = {}
    for s in plan.sections:
        parent = nodes.get(s.path.rsplit("/", 1)[0]) if "/" in s.path else tree
        nodes[s.path] = (parent or tree).add(f"{s.path.rsplit('/', 1)[-1]} {s.title}")
    console.print(tree)

    t = Table(title=f"量化目标（{len(plan.targets)} 项）", title_justify="left")
    t.add_column("指标", overflow="fold", min_width=16, ratio=3)
    for col in ("比较", "数值", "单位", "年份", "类型", "基期", "位置"):
        t.add_column(col, overflow="fold")
    for x in plan.targets:
        value = fmt_number(x.value) + (f"—{fmt_number(x.value_max)}" if x.value_max is not None else "")
        base = f"{x.baseline.year}年 {fmt_number(x.baseline.value)}" if x.baseline else ""
        t.add_row(x.indicator, _CMP.get(x.comparator, x.comparator), value, x.unit, str(x.year or ""),
                  _KIND.get(x.kind, x.kind), base, f"{x.span[0]}–{x.span[1]}")
    console.print(t)

    a = Table(title=f"责任分工（{len(plan.assignments)} 条）", title_justify="left")
    for col in ("章节", "牵头单位", "配合单位", "位置"):
        a.add_column(col, overflow="fold")
    for x in plan.assignments:
        a.add_row(x.section or "", "、".join(x.units[: x.lead_count]), "、".join(x.units[x.lead_count:]),
                  f"{x.span[0]}–{x.span[1]}")
    console.print(a)
    for w in plan.warnings:
        console.print(f"[yellow]提示：{w}[/yellow]")
