"""docs/benchmarks.md is written by several benchmarks, each owning its "## " sections: helpers so
that one rewriting its own sections leaves the others' as they are."""
from __future__ import annotations

import re

_SECTION = re.compile(r"^## [^\n]*\n.*?(?=^## |\Z)", flags=re.MULTILINE | re.DOTALL)


def sections(doc: str) -> list[str]:
    """The "## " sections of a Markdown text, each to the next "## " heading."""
    return [m.group() for m in _SECTION.finditer(doc)]


def put_section(doc: str, heading: str, body: str) -> str:
    """`doc` with the section whose heading starts with `heading` replaced by `body`, or with
    `body` appended."""
    for s in sections(doc):
        if s.startswith(heading):
            i = doc.index(s)
            return doc[:i] + body.rstrip() + "\n\n" + doc[i + len(s):].lstrip("\n")
    return doc.rstrip() + "\n\n" + body.rstrip() + "\n"


def keep_others(new: str, old: str, own: tuple[str, ...]) -> str:
    """`new` followed by the sections of `old` whose headings start with none of `own`."""
    others = [s.rstrip() for s in sections(old) if not s.startswith(own)]
    return new.rstrip() + "\n" + "".join("\n" + s + "\n" for s in others)


def publish(section: str, path, heading: str) -> None:
    """Print a benchmark's Markdown section and, given a path, put it in that file in place of
    the section of the same heading (the other sections stay)."""
    print(section)
    if path:
        old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
        path.write_text(put_section(old, heading, section), encoding="utf-8")
