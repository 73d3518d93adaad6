"""Decoding: every encoding a plan arrives in gives back the identical str."""
from __future__ import annotations

import pytest
import zhconv


from luoshi.errors import EmptyDocument, UnsupportedFormat
from luoshi.read import read_bytes
from luoshi.read.text import decode, plausibility
from tests.formats import SAMPLE_TEXT as SAMPLE
from tests.formats import to_encoding

# (encoding, with BOM, the name Document.encoding reports)
ENCODINGS = [
    ("utf-8", False, "utf-8"),
    ("utf-8", True, "utf-8-sig"),
    ("gb18030", False, "gb18030"),
    ("gbk", False, "gb18030"),
    ("utf-16-le", True, "utf-16-le"),
    ("utf-16-be", True, "utf-16-be"),
    ("utf-16-le", False, "utf-16-le"),
    ("utf-16-be", False, "utf-16-be"),
    ("utf-32-le", True, "utf-32-le"),
    ("utf-32-be", True, "utf-32-be"),
]


def _roundtrip(text: str, enc: str, bom: bool) -> tuple[str, str] | None:
    data = to_encoding(text, enc, bom=bom)
    if data is None:
        return None
    doc = read_bytes(data)
    assert doc.format == "txt"
    assert doc.body.text == doc.text
    return doc.text, doc.encoding


@pytest.mark.parametrize("enc,bom,reported", ENCODINGS)
def test_sample_in_every_encoding(enc, bom, reported):
    assert _roundtrip(SAMPLE, enc, bom) == (SAMPLE, reported)


@pytest.mark.parametrize("enc,bom,reported", ENCODINGS)
def test_seed_plans_in_every_encoding(seed_texts, enc, bom, reported):
    for name, text in seed_texts.items():
        result = _roundtrip(text, enc, bom)
        if result is not None:  # GBK cannot hold every character
            assert result == (text, reported), name


def test_big5_where_the_text_fits(seed_texts):
    texts = {"sample": zhconv.convert(SAMPLE, "zh-tw"), **{n: zhconv.convert(t, "zh-tw") for n, t in seed_texts.items()}}
    fitting = 0
    for name, text in texts.items():
        data = to_encoding(text, "big5")
        if data is None:
            continue
        fitting += 1
        # The trap: BIG5 bytes decode as GB18030 without error, into nonsense.
        assert data.decode("gb18030") != text
        doc = read_bytes(data)
        assert (doc.text, doc.encoding) == (text, "big5"), name
    assert fitting >= 1


def test_big5_unencodable_text_gives_none():
    assert to_encoding("简体字：发展改革委", "big5") is None


def test_short_texts_are_not_mistaken():
    # GBK and BIG5 lines of a dozen characters; UTF-16 without BOM and without ASCII (no NULs).
    line = "到2025年，建成数据中心机架1万个"
    assert decode(line.encode("gbk"))[:2] == (line, "gb18030")
    trad = zhconv.convert("推进政务服务一网通办，提升群众满意度", "zh-tw")
    assert decode(trad.encode("big5"))[:2] == (trad, "big5")
    pure = "二、开展数字基础设施融合发展攻坚"
    for enc in ("utf-16-le", "utf-16-be"):
        assert decode(pure.encode(enc))[:2] == (pure, enc)


def test_plausibility_separates_right_and_wrong_readings():
    data = zhconv.convert(SAMPLE, "zh-tw").encode("big5")
    assert plausibility(data.decode("big5")) > plausibility(data.decode("gb18030")) + 0.5
    assert plausibility(SAMPLE) > 1.8


def test_crlf_and_tabs_kept_as_they_are():
    text = "一、总体目标\r\n序号\t任务\t牵头单位\r\n1\t建设\t市发展改革委\r\n"
    doc = read_bytes(text.encode("gb18030"))
    assert doc.text == text


def test_few_damaged_bytes_are_replaced_with_a_warning():
    data = SAMPLE.encode("utf-8")
    damaged = data[:30] + b"\xff" + data[30:]
    doc = read_bytes(damaged)
    assert "\ufffd" in doc.text
    assert doc.text.replace("\ufffd", "") == SAMPLE
    assert doc.warnings and "解码" in doc.warnings[0]


def test_binary_nul_bytes_are_rejected():
    with pytest.raises(UnsupportedFormat, match="不是可识别的文本"):
        read_bytes(bytes(range(256)) * 8)


def test_control_characters_are_rejected():
    with pytest.raises(UnsupportedFormat, match="不是可识别的文本"):
        read_bytes(("正文" + "\x01\x02\x03\x04\x05" * 20).encode("gb18030"))


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  ", "\ufeff  \n".encode("utf-8"), "\u3000\u3000\n".encode("gb18030"),
                                  b"\xff\xfe" + " \n".encode("utf-16-le")])
def test_empty_and_blank_files(data):
    with pytest.raises(EmptyDocument, match="为空"):
        read_bytes(data)
