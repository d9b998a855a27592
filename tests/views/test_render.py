"""The chart renderer: cache by content, and a note instead of a crash."""

from __future__ import annotations

from tests.core.test_assess import framework, share, table
from veikart.core.assess import assess_framework
from veikart.core.model import Dimension, DimensionValue
from veikart.views.charts import MAX_CHART_SERIES, chart_for
from veikart.views.render import ChartRenderer

BAR = {"mark": "bar", "data": {"values": [{"a": 1}, {"a": 2}]}, "encoding": {"x": {"field": "a", "type": "quantitative"}}}


def test_each_image_is_rendered_once_and_kept_on_disk(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = ChartRenderer(tmp_path)
    svg = first.svg(BAR)
    assert svg.startswith("<svg") and first.rendered == 1
    assert first.svg(BAR) == svg and first.rendered == 1
    second = ChartRenderer(tmp_path)  # a new build: found on disk
    assert second.svg(BAR) == svg and second.rendered == 0
    assert second.png(BAR)[:8] == b"\x89PNG\r\n\x1a\n" and second.rendered == 1


def test_a_spec_vega_cannot_draw_becomes_a_note_not_a_crash() -> None:
    r = ChartRenderer(False)
    remote = dict(BAR, data={"url": "https://example.invalid/data.json"})  # fetching is refused
    svg = r.svg(remote)
    assert "could not be drawn" in svg and r.failures == 1


def test_a_chart_of_thousands_of_series_shows_the_largest_and_says_so() -> None:
    n = 300
    dim = Dimension(id="kommune", title="Kommune", values=[DimensionValue(code=f"k{i}") for i in range(n)])
    ind = share(dimensions=[dim])
    rows = [((f"k{i}",), str(y), float(i % 97)) for i in range(n) for y in (2023, 2024, 2025)]
    rows += [(("",), str(y), 50.0) for y in (2023, 2024, 2025)]
    data = framework((ind, table("andel", rows, ("kommune",))))
    (result,) = assess_framework(data)
    chart = chart_for(result, data, "c")
    assert chart is not None
    assert f"{MAX_CHART_SERIES} of {n + 1} series" in chart.provenance and chart.spec["description"] == chart.alt
    drawn = {row.get("s") for rows_ in chart.spec.get("datasets", {}).values() for row in rows_ if isinstance(row, dict)}
    assert len(drawn - {None}) <= MAX_CHART_SERIES
    assert ChartRenderer(False).svg(chart.spec).startswith("<svg")


def test_prerender_in_parallel_gives_the_same_images(tmp_path) -> None:  # type: ignore[no-untyped-def]
    specs = [dict(BAR, data={"values": [{"a": i}, {"a": i + 1}]}) for i in range(5)]
    parallel = ChartRenderer(tmp_path / "p")
    parallel.prerender(specs, svg=True, png=False, workers=2)
    assert parallel.rendered == 5
    serial = ChartRenderer(tmp_path / "s")
    for spec in specs:
        assert parallel.svg(spec) == serial.svg(spec)
    assert parallel.rendered == 5  # everything came from the workers' cache


def test_png_is_the_svg_rasterised_once_drawn(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One Vega run per chart: the PNG comes from the cached SVG, and is the same image
    vl-convert's own vegalite_to_png makes."""
    import vl_convert as vlc

    r = ChartRenderer(tmp_path)
    png = r.png(BAR)
    assert r.rendered == 2  # the SVG (drawn) and the PNG (rasterised from it)
    assert png == vlc.vegalite_to_png(BAR, scale=2.0)
    again = ChartRenderer(tmp_path)
    assert again.svg(BAR) and again.png(BAR) == png and again.rendered == 0


def test_prerender_of_both_formats_in_parallel(tmp_path) -> None:  # type: ignore[no-untyped-def]
    specs = [dict(BAR, data={"values": [{"a": i}, {"a": i + 2}]}) for i in range(4)]
    parallel = ChartRenderer(tmp_path / "p")
    parallel.prerender(specs, svg=True, png=True, workers=2)
    assert parallel.rendered == 8
    serial = ChartRenderer(False)
    for spec in specs:
        assert parallel.png(spec) == serial.png(spec) and parallel.svg(spec) == serial.svg(spec)
    assert parallel.rendered == 8
