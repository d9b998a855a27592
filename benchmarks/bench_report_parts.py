"""Where the report's time goes, part by part, in CPU seconds of one process (so that the
figures add up to what two cores must do): vl-convert's start and each chart format, WeasyPrint
per slide, python-pptx for the deck, composing. For the bundled default by default.

    .venv/bin/python benchmarks/bench_report_parts.py [--indicators N]

With --indicators N, a synthetic framework of N indicators (as bench_report.py) instead.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def cpu() -> float:
    return time.process_time()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--indicators", type=int, default=0)
    args = ap.parse_args()

    from benchmarks.machine import describe

    print(describe())
    import veikart
    from veikart.package.reader import read_package
    from veikart.store.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.db'}"
        with Store(url) as s:
            s.migrate()
            if args.indicators:
                from benchmarks.synthetic import synthetic

                s.import_data(synthetic(indicators=args.indicators, years=20, regions=4, groups=1), actor="bench")
            else:
                s.import_data(read_package(Path(veikart.__file__).parent / "data" / "default"), actor="bench")
        data = Store(url).load()
    period = None if args.indicators else data.periods.get("2026-01")

    t = cpu()
    from veikart.core.assess import assess_framework
    from veikart.report.compose import ReportInputs, compose_report
    from veikart.views.charts import chart_for

    results = assess_framework(data)
    report = compose_report(ReportInputs(data, period, "nb", partial(chart_for, show_title=False), results=results))
    rows = [("progress and composing (specs of every chart)", cpu() - t, "")]

    from veikart.views.render import engine

    vlc = engine()  # vl-convert with the renderer's fonts (its own Liberation Sans)

    specs = [c.spec for c in report.charts.values()]
    t = cpu()
    vlc.vegalite_to_svg({"mark": "point"})
    rows.append(("vl-convert's start (once per process)", cpu() - t, ""))
    times: dict[str, list[float]] = {"svg": [], "png": [], "pdf": []}
    svgs = []
    for spec in specs:
        t = cpu()
        svg = vlc.vegalite_to_svg(spec, allowed_base_urls=[])
        times["svg"].append(cpu() - t)
        t = cpu()
        vlc.svg_to_png(svg, scale=2.0)
        times["png"].append(cpu() - t)
        t = cpu()
        vlc.svg_to_pdf(svg)
        times["pdf"].append(cpu() - t)
        svgs.append(svg)
    for kind, label in (("svg", "Vega: chart to SVG"), ("png", "PNG from the SVG"), ("pdf", "PDF from the SVG")):
        rows.append((f"{label}, {len(specs)} charts", sum(times[kind]), f"{statistics.mean(times[kind]):.3f} s each"))

    from veikart.report import pdf as pdf_module
    from veikart.report.html import build_print_parts
    from veikart.views.render import ChartRenderer, spec_hash

    renderer = ChartRenderer(False)
    for spec, svg in zip(specs, svgs, strict=True):  # the images above, not drawn again
        renderer._memory[spec_hash(spec, "svg")] = svg.encode()
    t = cpu()
    importlib.import_module("weasyprint")  # timed: its import

    rows.append(("import WeasyPrint", cpu() - t, ""))
    parts = build_print_parts(report, renderer, image_format=pdf_module.PART_CHART_FORMAT)
    t = cpu()
    pdf_module._worker_state(parts.css)
    pdf_module._lay_out(parts.css, pdf_module._WARM_PAGE)
    rows.append(("WeasyPrint's start (stylesheet, fonts; once per worker)", cpu() - t, ""))
    slide_times = []
    for page in parts.parts:
        t = cpu()
        pdf_module._lay_out(parts.css, page)
        slide_times.append(cpu() - t)
    rows.append(
        (f"WeasyPrint: {len(parts.parts)} slides laid out", sum(slide_times), f"{statistics.mean(slide_times):.3f} s each")
    )

    t = cpu()
    from veikart.report.pptx import render_pptx

    rows.append(("import python-pptx", cpu() - t, ""))
    for spec, svg in zip(specs, svgs, strict=True):
        renderer.png(spec)  # rasterised here, outside the timing below
    t = cpu()
    render_pptx(report, renderer)
    rows.append((f"python-pptx: the deck ({len(report.slides)} slides)", cpu() - t, ""))

    print(f"{'part':58} {'CPU s':>7}")
    for name, seconds, note in rows:
        print(f"{name:58} {seconds:>7.2f}  {note}")
    total = sum(r[1] for r in rows)
    print(f"{'total':58} {total:>7.2f}  (two cores: at least {total / 2:.2f} s of wall time, with a")
    print(f"{'':58} {'':>7}  vl-convert and a WeasyPrint start in each worker on top)")
    print(describe())


if __name__ == "__main__":
    main()
