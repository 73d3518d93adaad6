"""Bulletin charts: PNG of the asked width, Chinese drawn in a CJK font (no missing glyphs), the
light colours, height growing with the categories, matplotlib loaded lazily and without pyplot."""
from __future__ import annotations

import io
import subprocess
import sys
import warnings

import pytest
from PIL import Image

from luoshi.publish.bulletin import charts
from luoshi.publish.bulletin.charts import chart_png, cjk_font
from luoshi.publish.bulletin.model import Chart


def _progress(n: int) -> Chart:
    return Chart("C1", "图1", "progress", [f"第{i}个区县人民政府" for i in range(n)],
                 {"完成率": [40.0 + i for i in range(n)], "序时进度": [75.0] * n})


def _lights(n: int) -> Chart:
    return Chart("C2", "图2", "lights", [f"聊城市第{i}个责任单位办公室" for i in range(n)],
                 {"green": [3] * n, "yellow": [1] * n, "red": [2] * n, "none": [0] * n})


def _image(png: bytes) -> Image.Image:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(png)).convert("RGB")


def _has_cjk_font() -> bool:
    from matplotlib import font_manager

    return any("CJK" in f.name or "UKai" in f.name for f in font_manager.fontManager.ttflist)


def test_png_is_the_text_width_at_the_dpi():
    img = _image(chart_png(_progress(2), width_mm=156, dpi=200))
    assert abs(img.width - 156 / 25.4 * 200) <= 1  # matplotlib truncates the pixel size
    assert abs(_image(chart_png(_progress(2), width_mm=100, dpi=100)).width - 100 / 25.4 * 100) <= 1


@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font installed")
def test_chinese_is_drawn_in_a_cjk_font():
    assert cjk_font() in charts.PREFERRED or "CJK" in cjk_font()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart_png(_lights(3))
        chart_png(_progress(3))
    # matplotlib warns "Glyph … missing from font(s)" for each character it draws as a box.
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_without_a_cjk_font_it_still_draws_and_warns_once(monkeypatch):
    from matplotlib import font_manager

    latin = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name and "CJK" not in f.fname.upper()
             and f.name not in charts.PREFERRED]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    cjk_font.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="中文字体"):
            assert cjk_font() is None
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # no second warning
            assert cjk_font() is None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # matplotlib's missing-glyph warnings
                assert _image(chart_png(_progress(2))).width > 0
    finally:
        cjk_font.cache_clear()


def test_many_categories_make_a_taller_image_up_to_a_page():
    few, many, lots = (_image(chart_png(_lights(n))).height for n in (8, 30, 60))
    assert few < many <= lots
    assert lots <= round(charts.MAX_HEIGHT_MM / 25.4 * 200) + 1


def _near(img: Image.Image, hex_: str, tol: int = 6) -> int:
    r, g, b = (int(hex_[i:i + 2], 16) for i in (1, 3, 5))
    return sum(n for n, (pr, pg, pb) in img.getcolors(1 << 20)
               if abs(pr - r) <= tol and abs(pg - g) <= tol and abs(pb - b) <= tol)


def test_lights_use_the_light_colours():
    img = _image(chart_png(Chart("C", "图", "lights", ["甲", "乙"], {"green": [2, 0], "yellow": [1, 0], "red": [0, 3],
                                                                   "none": [0, 0]})))
    for key in ("green", "yellow", "red"):
        assert _near(img, charts.COLORS[key]) > 2000, key
    assert _near(img, charts.COLORS["none"]) < 200  # no target without a light: no grey bar


def test_progress_bars_scale_with_the_values():
    low = _image(chart_png(Chart("C", "图", "progress", ["甲"], {"完成率": [10.0], "序时进度": [0.0]})))
    high = _image(chart_png(Chart("C", "图", "progress", ["甲"], {"完成率": [90.0], "序时进度": [0.0]})))
    colour = charts.PROGRESS_COLORS["完成率"]
    assert _near(high, colour) > 5 * _near(low, colour) > 0


def test_missing_values_do_not_break_the_chart():
    png = chart_png(Chart("C", "图", "progress", ["甲", "乙"], {"完成率": [None, 50.0], "序时进度": [75.0]}))
    assert _image(png).width > 0


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        chart_png(Chart("C", "图", "pie", ["甲"], {}))


def test_matplotlib_loads_lazily_and_without_pyplot():
    code = ("import sys\nfrom luoshi.publish.bulletin import charts, docx\n"
            "assert 'matplotlib' not in sys.modules\n"
            "from luoshi.publish.bulletin.model import Chart\n"
            "charts.chart_png(Chart('C', 'x', 'lights', ['a', 'b'], {'green': [1, 2]}))\n"
            "assert 'matplotlib' in sys.modules and 'matplotlib.pyplot' not in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr  # the asserts above run in a fresh interpreter
