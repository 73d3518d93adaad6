"""The plans: the list of stored plans, and one plan's original text with its targets and
responsibility clauses marked where they stand, the outline, targets, units and the review
findings beside it. A plan is a public document, so every business role reads it; progress
(lights, completion) is shown to the office and leaders for every target and to a unit's
reporter only for its own unit's targets, filtered here before anything is rendered."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from luoshi.auth.access import unit_scope
from luoshi.present import fmt_number
from luoshi.store.account_models import Account
from luoshi.store.models import MAX_ID
from luoshi.track.checks import run_checks
from luoshi.track.dashboard_regions import default_month
from luoshi.track.plan_view import plan_findings, plan_list, plan_regions, plan_view, shown_value
from luoshi.track.progress import as_of_period, progress
from luoshi.track.timeliness import DispatchSettings
from luoshi.web.api_progress import own_targets, parse_as_of
from luoshi.web.deps import IdPath, db, office
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader

router = APIRouter()
_PREFIX = {"section": ("span", "s", "section"), "clause": ("mark", "a", "clause"), "target": ("mark", "t", "target")}
KINDS = {"goal": "目标", "standard": "标准"}


@router.get("/plans")
def plans(request: Request, region: str | None = Query(None, max_length=64), a: Account = Depends(reader),
          s: Session = Depends(db)) -> Response:
    unit_scope(a)  # the business roles only
    region = (region or "").strip() or None
    return page(request, "plans/list.html", {"plans": plan_list(s, region), "region": region or "",
                                             "regions": plan_regions(s)}, account=a)


@router.get("/plans/{plan_id}")
def plan(request: Request, plan_id: IdPath, version: int | None = Query(None, ge=1, le=MAX_ID),
         as_of: str | None = Query(None, max_length=10), a: Account = Depends(reader), s: Session = Depends(db),
         rules: DispatchSettings = Depends(office)) -> Response:
    scope = unit_scope(a)
    catalog = request.app.state.catalog
    view = plan_view(s, plan_id, catalog, version)
    until = as_of_period(parse_as_of(as_of)) if as_of else default_month(s)
    judged = {}
    if view.latest:  # progress is judged on each plan's newest version only
        rows = progress(s, plan=str(plan_id), as_of=until, catalog=catalog, rules=rules.rules)
        if scope is not None:
            mine = own_targets(s, scope)
            rows = [p for p in rows if p.target_id in mine or p.same_as in mine]
        judged = {p.target_id: p for p in rows}
    targets = [{"row": t, "key": view.links.get(t.id), "shown": shown_value(t), "kind": KINDS.get(t.kind, t.kind),
                "progress": judged.get(t.id)} for t in view.targets]
    findings = plan_findings(s, run_checks(s, catalog), plan_id, view.version.id)
    return page(request, "plans/detail.html", {
        "view": view, "title": view.version.title or view.plan.title or f"方案 {plan_id}", "targets": targets,
        "clauses": view.clauses, "findings": findings, "as_of": until,
        "text_html": marks_html(view.nodes, {i: p.light.value for i, p in judged.items() if p.light}),
        "tracked": len(judged), "my_unit": scope, "cn": fmt_number}, account=a)


def marks_html(nodes: list, lights: dict[int, str] | None = None) -> Markup:
    """The marked text as HTML: every text piece escaped; a span's first piece carries its element
    id (t-7, a-3, s-12), every piece its data-target / data-clause / data-section. A target's light
    (`lights`: those the reader may see) is a class that CSS draws as a dot, not text."""
    lights = lights or {}
    out: list[str] = []

    def walk(children):
        for n in children:
            if isinstance(n, str):
                out.append(str(escape(n)))
                continue
            tag, prefix, attr = _PREFIX[n.span.kind]
            ident = f' id="{prefix}-{n.span.id}"' if n.first else ""
            more = "" if n.first else " m-cont"
            if n.span.kind == "target" and n.first and n.span.id in lights:
                more += f" l-{lights[n.span.id]}"
            out.append(f'<{tag}{ident} class="m-{n.span.kind}{more}" data-{attr}="{n.span.id}">')
            walk(n.children)
            out.append(f"</{tag}>")

    walk(nodes)
    return Markup("".join(out))
