"""luoshi's own sample plan, for the demo and the examples: an invented city and its invented plan."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE_NAME = "sample_plan.txt"


def sample_text() -> str:
    return resources.files("luoshi").joinpath("data", SAMPLE_NAME).read_text(encoding="utf-8")


def write_sample(folder: str | Path) -> Path:
    """Write the sample plan into `folder` (created if missing) and return its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SAMPLE_NAME
    path.write_text(sample_text(), encoding="utf-8")
    return path
