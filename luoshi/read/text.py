"""Decode a text file's bytes to str, choosing the encoding by evidence.

Order (see the office's reference notes): BOM; strict UTF-8; UTF-16 without BOM by its NUL
pattern; then the strict CJK codecs compared by plausibility, since BIG5 bytes often decode as
GB18030 without error (and CJK-only UTF-16 without BOM may too). A detector comes last: on
short GBK text charset-normalizer has answered Korean.
"""
from __future__ import annotations

import codecs
import re

from luoshi.errors import EmptyDocument, UnsupportedFormat
from luoshi.read.document import Document

_BOMS = (  # UTF-32 first: its LE BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5": "big5",
            "big5-hkscs": "big5hkscs", "utf-8": "utf-8", "utf8": "utf-8"}
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd]")
_HANZI = re.compile(r"[\u4e00-\u9fff]")
# What Chinese prose is made of: hanzi, ASCII, CJK and full-width punctuation, ①, Ⅱ, ·, ×, °.
_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e\u2010-\u2027\u2460-\u24ff\u2160-\u217f"
                        r"\x21-\x7e\xb7\xd7\xb0]")
_MARGIN = 0.2  # how much more plausible BIG5/UTF-16 must look before GB18030 loses
_MIN_SCORE = 1.2  # below this a non-GB18030 reading is noise (genuine text scores ~1.9)
_SAMPLE = 50_000
_BINARY = "不是可识别的文本文件（内容像二进制数据）；请上传 TXT、DOCX、PDF 或网页文件"


def read_text(data: bytes, name: str | None = None) -> Document:
    text, encoding, warnings = decode(data)
    return Document.plain(text, "txt", encoding=encoding, name=name, warnings=warnings)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings). `declared` is a charset the file names (HTML <meta>)."""
    text, enc, warnings = _decode(data, declared)
    if _looks_binary(text):
        raise UnsupportedFormat(_BINARY)
    if not text.strip():
        raise EmptyDocument("文件为空，没有可读取的文字")
    return text, enc, warnings


def _decode(data: bytes, declared: str | None) -> tuple[str, str, list[str]]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data if enc == "utf-8-sig" else data[len(bom):]
            try:
                return body.decode(enc), enc, []
            except UnicodeDecodeError:
                return _lenient(body, [enc])
    if b"\x00" not in data:  # NULs are valid UTF-8, but UTF-16 text is what puts them there
        try:
            return data.decode("utf-8"), "utf-8", []
        except UnicodeDecodeError:
            pass
    enc = _ALIASES.get((declared or "").strip().lower())
    if enc:
        try:
            return data.decode(enc), enc, []
        except (UnicodeDecodeError, LookupError):
            pass
    if b"\x00" in data:
        return _nul_pattern(data)
    candidates = {}
    for enc in ("gb18030", "big5", "cp950", "utf-16-le", "utf-16-be"):
        if enc == "cp950" and "big5" in candidates or enc.startswith("utf-16") and len(data) % 2:
            continue
        try:
            candidates[enc] = data.decode(enc)
        except UnicodeDecodeError:
            pass
    controls = len(_CONTROL_BYTES.findall(data[:_SAMPLE]))
    if controls > max(2, min(len(data), _SAMPLE) // 200):
        # Control bytes occur only inside text encoded as UTF-16; anything else is binary.
        candidates = {e: t for e, t in candidates.items() if e.startswith("utf-16")}
        if not candidates:
            raise UnsupportedFormat(_BINARY)
    chosen = _most_plausible(candidates)
    if chosen:
        return chosen[0], chosen[1], []
    return _lenient(data, ["utf-8", "gb18030", "big5"])


def _most_plausible(candidates: dict[str, str]) -> tuple[str, str] | None:
    """GB18030 when it decodes, unless another codec reads clearly more like Chinese."""
    scores = {enc: plausibility(text) for enc, text in candidates.items()}
    best = max(scores, key=scores.get, default=None)
    if "gb18030" in scores and scores[best] < scores["gb18030"] + _MARGIN:
        best = "gb18030"
    elif best is None or scores[best] < _MIN_SCORE:
        return None
    return candidates[best], best


def plausibility(text: str) -> float:
    """0..2: the share of characters Chinese prose is made of, plus the share of hanzi that are
    among the ~2,000 most common. A wrong codec yields kana, Greek, private-use and rare hanzi,
    or (UTF-16 read the wrong way round) characters from all over the BMP."""
    from luoshi.read.common_hanzi import COMMON

    sample = "".join(text[:_SAMPLE].split())
    if not sample:
        return 0.0
    plausible = len(_PLAUSIBLE.findall(sample)) / len(sample)
    hanzi = _HANZI.findall(sample)
    if not hanzi:  # nothing to judge the hanzi by: the character classes alone decide
        return 2 * plausible
    return plausible + sum(h in COMMON for h in hanzi) / len(hanzi)


def _nul_pattern(data: bytes) -> tuple[str, str, list[str]]:
    """UTF-16 without BOM: ASCII puts NULs on one side only. CJK-heavy text has few NULs, and
    some on the other side too (一 is U+4E00), so there the more plausible reading decides."""
    even, odd = data[0::2].count(0), data[1::2].count(0)
    data = data[: len(data) // 2 * 2]
    candidates = {}
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            candidates[enc] = data.decode(enc)
        except UnicodeDecodeError:
            pass
    clear = "utf-16-le" if odd > 20 * even + 8 else "utf-16-be" if even > 20 * odd + 8 else None
    if clear in candidates:
        return candidates[clear], clear, []
    chosen = _most_plausible(candidates)
    if chosen is None:
        raise UnsupportedFormat(_BINARY)
    return chosen[0], chosen[1], []


def _lenient(data: bytes, encodings: list[str]) -> tuple[str, str, list[str]]:
    """A few damaged bytes in otherwise good text: replace them rather than guess a codec."""
    readings = {}
    for enc in encodings:
        text = data.decode(enc, errors="replace")
        if text.count("\ufffd") <= max(1, len(text) // 500):
            readings[enc] = text
    if not readings:
        return _detect(data)
    enc = max(readings, key=lambda e: plausibility(readings[e]))
    text = readings[enc]
    bad = text.count("\ufffd")
    return text, enc, [f"文件中有 {bad} 处字节无法按 {enc} 解码，已替换为“\ufffd”；文件可能已损坏或混用了编码"]


def _detect(data: bytes) -> tuple[str, str, list[str]]:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise UnsupportedFormat("不是可识别的文本文件（无法判断文字编码）；请另存为 UTF-8 编码的 TXT 后再上传")
    enc = match.encoding
    return str(match), enc, [f"文字编码无法确定，按 {enc} 读取；请核对文字是否正确"]


def _looks_binary(text: str) -> bool:
    sample = text[:_SAMPLE]
    return len(_BAD_CHARS.findall(sample)) > max(2, len(sample) // 200)
