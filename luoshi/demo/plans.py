"""The demo's plans, stored as `luoshi ingest` stores a file: read, extract, save with targets
linked to the shipped catalog; then the tasks of every clause (units registered on the way)."""
from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from luoshi.demo.county_plans import county_texts
from luoshi.extract import extract
from luoshi.read import read_bytes
from luoshi.sample import SAMPLE_NAME, sample_text
from luoshi.store.plans import save_plan
from luoshi.track.catalog import linker, load_catalog
from luoshi.track.tasks import build_tasks


def demo_files(seed: int) -> list[tuple[str, bytes]]:
    """(file name, bytes): luoshi's sample plan (澜州市), then the eight county plans of 聊城市."""
    files = [(SAMPLE_NAME, sample_text().encode("utf-8"))]
    files += [(f"demo_{c.slug}_{c.code}.txt", text.encode("utf-8")) for c, text in county_texts(seed)]
    return files


def store_plans(session: Session, seed: int) -> dict[str, int]:
    """Store the demo's plans and build their tasks (the caller commits); file name → plan id."""
    link = linker(load_catalog(None))
    ids = {}
    for name, data in demo_files(seed):
        plan = extract(read_bytes(data, name))
        saved = save_plan(session, plan, hashlib.sha256(data).hexdigest(), name, linker=link)
        ids[name] = saved.plan_id
    build_tasks(session)
    session.flush()
    return ids
