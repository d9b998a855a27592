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
    from veikart.views.render import engine

    vlc = engine()
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


CLIPPED = {
    "data": {"values": [{"a": 1, "b": 2}, {"a": 2, "b": 5}]},
    "mark": {"type": "line", "clip": True},
    "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "quantitative"}},
}


def test_a_chart_has_the_same_svg_whatever_was_drawn_before_it() -> None:
    """Vega numbers clip paths from a counter that runs on through a process's charts; the
    renderer numbers them within each chart, so the same chart drawn later, or by another
    worker, has the same bytes."""
    first = ChartRenderer(False).svg(CLIPPED)
    ChartRenderer(False).svg(dict(CLIPPED, mark={"type": "point", "clip": True}))  # moves Vega's counter on
    again = ChartRenderer(False).svg(CLIPPED)
    assert 'id="clip1"' in first and "url(#clip1)" in first
    assert again == first


def test_canonical_ids_number_each_kind_in_order_and_rewrite_references() -> None:
    from veikart.views.render import canonical_ids

    svg = (
        '<svg><clipPath id="clip7"/><clipPath id="clip12"/><linearGradient id="gradient_3"/>'
        '<g clip-path="url(#clip12)"/><g clip-path="url(#clip7)"/><use href="#gradient_3"/></svg>'
    )
    assert canonical_ids(svg) == (
        '<svg><clipPath id="clip1"/><clipPath id="clip2"/><linearGradient id="gradient_1"/>'
        '<g clip-path="url(#clip2)"/><g clip-path="url(#clip1)"/><use href="#gradient_1"/></svg>'
    )
    plain = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>'
    assert canonical_ids(plain) == plain


def test_the_font_setup_leaves_fontconfig_file_as_it_was(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The charts' font database is built with FONTCONFIG_FILE pointing at an empty folder of
    ours (so vl-convert loads no system font file); the variable is restored at once, since
    WeasyPrint's fontconfig in the same process reads it. A fresh process: the setup is once
    per process."""
    import os
    import subprocess
    import sys

    code = (
        "import os; from veikart.views.render import engine, _FONTS; engine();"
        "print(os.environ.get('FONTCONFIG_FILE'), _FONTS['folder'])"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), FONTCONFIG_FILE="/etc/fonts/fonts.conf")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    previous, folder = out.split()
    assert previous == "/etc/fonts/fonts.conf"
    conf = (tmp_path / "veikart" / "chart-fonts" / "fonts.conf").read_text(encoding="utf-8")
    assert folder == str(tmp_path / "veikart" / "chart-fonts") and f"<dir>{folder}</dir>" in conf
    assert [p.name for p in (tmp_path / "veikart" / "chart-fonts").iterdir()] == ["fonts.conf"]  # no font in it
    del env["FONTCONFIG_FILE"]
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "None"


def test_chart_workers_started_ahead_are_used_then_stopped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from veikart.views import render

    render.warm_up(tmp_path / "charts", workers=1)
    pool = render._AHEAD["pool"]
    render.warm_up(tmp_path / "charts")  # a second call starts nothing more
    assert render._AHEAD["pool"] is pool
    specs = [dict(BAR, data={"values": [{"a": i}, {"a": i + 3}]}) for i in range(3)]
    renderer = ChartRenderer(tmp_path / "charts")
    renderer.prerender(specs, svg=True, png=True)
    assert not render._AHEAD and renderer.rendered == 6
    assert all(ChartRenderer(tmp_path / "charts")._known(spec_hash_png) for spec_hash_png in _png_keys(specs))
    render.warm_up(tmp_path / "charts", workers=1)
    render.cool_down()
    assert not render._AHEAD


def test_warm_up_starts_one_worker_on_a_cache_with_charts_in_it(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from veikart.views import render

    started: list[int] = []

    class Pool:
        def __init__(self, max_workers: int, mp_context: object) -> None:
            self.max_workers = max_workers

        def submit(self, fn: object) -> None:
            started.append(1)

        def shutdown(self, **_kw: object) -> None:
            pass

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", Pool)
    monkeypatch.setattr(render.os, "cpu_count", lambda: 2)
    render.warm_up(tmp_path / "empty")  # cold: one per CPU
    assert len(started) == 2
    render.cool_down()
    (tmp_path / "full" / "ab").mkdir(parents=True)
    started.clear()
    render.warm_up(tmp_path / "full")  # a rebuild draws a few: one
    assert len(started) == 1
    render.cool_down()


def _png_keys(specs: list[dict]) -> list[str]:  # type: ignore[type-arg]
    from veikart.views.render import spec_hash

    return [spec_hash(spec, "png@2.0") for spec in specs]


def test_cache_dir_true_means_the_default_cache_as_build_report_passes_it() -> None:
    # build_report(chart_cache=True) hands True on; Path(True) raised a TypeError
    from platformdirs import user_cache_path

    assert ChartRenderer(True).cache_dir == user_cache_path("veikart") / "charts"
    assert ChartRenderer(None).cache_dir == user_cache_path("veikart") / "charts"
    assert ChartRenderer(False).cache_dir is None
