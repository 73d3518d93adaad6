"""Text with a map back to the original: every character of a derived text knows the range of
original characters it came from, so a span found in cleaned text can be shown in the source.

Derived texts compose: clean(html_body(raw)) still maps to raw offsets.
"""
from __future__ import annotations

from array import array


_IOTA = array("q")


def _iota(n: int) -> array:
    global _IOTA
    if len(_IOTA) < n:
        _IOTA = array("q", range(max(n, 2 * len(_IOTA), 1 << 16)))
    return _IOTA


class TextMap:
    """`text[i]` came from `original[starts[i]:ends[i]]` (an empty range for inserted characters)."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: array, ends: array):
        if not (len(text) == len(starts) == len(ends)):
            raise ValueError("text and its offset arrays differ in length")
        self.text = text
        self.starts = starts
        self.ends = ends

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> "TextMap":
        n = len(text)
        if offset == 0:
            iota = _iota(n + 1)  # slicing a cached 0, 1, 2, … is a memcpy; range() is a loop
            return cls(text, iota[:n], iota[1 : n + 1])
        return cls(text, array("q", range(offset, offset + n)), array("q", range(offset + 1, offset + n + 1)))

    def __len__(self) -> int:
        return len(self.text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original range covered by derived `text[start:end]`."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return (pos, pos)
        return (self.starts[start], self.ends[end - 1])

    def slice(self, start: int, end: int) -> "TextMap":
        return TextMap(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def compose(self, inner: "TextMap") -> "TextMap":
        """`inner` was derived from `self.text`; return `inner` mapped to self's original."""
        starts = array("q", (self.starts[s] if s < len(self.starts) else self.ends[-1] for s in inner.starts))
        ends = array("q", (self.ends[e - 1] if e > 0 else self.starts[0] for e in inner.ends))
        return TextMap(inner.text, starts, ends)


class Builder:
    """Builds a TextMap piece by piece, cheaply for long copied runs."""

    __slots__ = ("_parts", "_starts", "_ends")

    def __init__(self):
        self._parts: list[str] = []
        self._starts = array("q")
        self._ends = array("q")

    def copy(self, text: str, orig_start: int) -> None:
        """Append `text`, which stands verbatim at `orig_start` in the original."""
        if not text:
            return
        self._parts.append(text)
        self._starts.extend(range(orig_start, orig_start + len(text)))
        self._ends.extend(range(orig_start + 1, orig_start + len(text) + 1))

    def replace(self, text: str, orig_start: int, orig_end: int) -> None:
        """Append `text`, which stands for `original[orig_start:orig_end]` as a whole."""
        if not text:
            return
        self._parts.append(text)
        self._starts.extend([orig_start] * len(text))
        self._ends.extend([orig_end] * len(text))

    def build(self) -> TextMap:
        return TextMap("".join(self._parts), self._starts, self._ends)
