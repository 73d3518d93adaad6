"""The indicators of the catalog across plans: which have targets, and for one indicator every
plan's target with its light and the reported values against the schedule (an ECharts chart
whose data travel as a JSON block, and a table of the same numbers). For the office and leaders:
a unit's reporter sees its own targets on the plan pages instead."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.auth.access import READ_ALL, require
from luoshi.present import fmt_number
from luoshi.store.account_models import Account
from luoshi.track.dashboard_regions import default_month
from luoshi.track.indicator_series import IndicatorView, indicator_counts, indicator_view
from luoshi.track.plan_view import shown_value
from luoshi.track.timeliness import DispatchSettings
from luoshi.web.api_progress import parse_as_of
from luoshi.web.deps import db, office
from luoshi.web.pages.render import page
from luoshi.web.pages.signin import reader

router = APIRouter()
DIRECTIONS = {"up": "越大越好", "down": "越小越好"}
NATURES = {"cumulative": "累计值", "annual": "年度值", "ratio": "比率"}


@router.get("/indicators")
def indicators(request: Request, a: Account = Depends(reader), s: Session = Depends(db)) -> Response:
    require(a, *READ_ALL)
    rows = indicator_counts(s, request.app.state.catalog)
    return page(request, "indicators/list.html", {"rows": rows, "directions": DIRECTIONS, "natures": NATURES},
                account=a)


@router.get("/indicators/{key}")
def indicator(request: Request, key: str = Path(max_length=64), as_of: str | None = Query(None, max_length=10),
              a: Account = Depends(reader), s: Session = Depends(db),
              rules: DispatchSettings = Depends(office)) -> Response:
    require(a, *READ_ALL)
    when = parse_as_of(as_of) if as_of else default_month(s)
    view = indicator_view(s, key, as_of=when, catalog=request.app.state.catalog, rules=rules.rules)
    return page(request, "indicators/detail.html", {
        "view": view, "ind": view.indicator, "chart": chart_data(view), "shown": shown_value, "cn": fmt_number,
        "directions": DIRECTIONS, "natures": NATURES}, account=a)


def chart_data(view: IndicatorView) -> dict:
    """What the chart draws (and the table under it lists): per charted target, the reported value
    and the schedule's expected value for every month of the axis (None where there is none)."""
    out = []
    for s in view.series:
        p = s.row
        out.append({"target_id": p.target_id, "plan_id": p.plan_id, "unit": p.unit, "year": p.year,
                    "label": f"{p.region or ''}·{p.year or ''}{'年' if p.year else ''}{shown_value(p)}{p.unit}"
                             f"（#{p.target_id}）",
                    "plan_title": p.plan_title, "light": p.light.value if p.light else None,
                    "reported": [s.reported.get(m) for m in view.months],
                    "expected": [_round(s.expected.get(m)) for m in view.months], "threshold": s.threshold})
    return {"indicator": view.indicator.key, "name": view.indicator.name, "unit": view.indicator.unit,
            "as_of": view.as_of, "months": view.months, "series": out}


def _round(v: float | None) -> float | None:
    # Enough digits for any figure an office publishes; drops float noise (27.000000000000004).
    return None if v is None else round(v, 6)
