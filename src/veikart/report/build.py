"""Build the status report: PPTX, PDF and HTML from one document, plus manifest.json.

The manifest says what the report was made from (framework, period, data vintage, as-of date),
which code made it (version and a hash of the package's source), and the SHA-256 of every output
and chart, so a reader can check that a deck is what the store says. With the same store, code
and SOURCE_DATE_EPOCH the outputs are byte for byte the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import partial
from pathlib import Path
from typing import Any

import veikart
from veikart.core.assess import IndicatorResult, assess_framework
from veikart.core.dataset import FrameworkData, localised
from veikart.core.model import ReportingPeriod
from veikart.core.periods import date_as_fractional_year
from veikart.i18n import N_, current_language, fmt_date, set_language
from veikart.report import FORMATS
from veikart.report.compose import ReportInputs, compose_report
from veikart.report.document import Report
from veikart.store.store import Store, StoreError
from veikart.views.charts import chart_for
from veikart.views.render import ChartRenderer

__all__ = ["FORMATS", "BuildResult", "build_report", "code_hash", "source_date_epoch"]


@dataclass
class BuildResult:
    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    charts_rendered: int = 0


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise StoreError(N_("SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds"), value=value) from None


def code_hash() -> str:
    """SHA-256 over the package's Python sources and data: which code made the report."""
    root = Path(veikart.__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yaml", ".csv", ".po", ".html", ".css", ".j2", ".js"}:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _previous(
    store: Store, data: FrameworkData, period_id: str, as_of: datetime | None
) -> tuple[ReportingPeriod | None, FrameworkData | None]:
    """The period before this one and the data as known on its date (None if not known then)."""
    this = data.periods[period_id]
    earlier = [p for p in data.periods.values() if p.date < this.date]
    if not earlier:
        return None, None
    prev = max(earlier, key=lambda p: p.date)
    when = datetime.combine(prev.date, time.max)
    if as_of is not None and as_of < when:
        when = as_of
    try:
        return prev, store.load(data.framework.id, as_of=when)
    except StoreError:
        return prev, None  # the store did not know the framework yet on that date


def build_report(
    store: Store,
    *,
    period_id: str | None,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS,
    lang: str = "nb",
    as_of: datetime | None = None,
    framework_id: str | None = None,
    template: Path | None = None,
    chart_cache: Path | None | bool = None,
    step: Callable[[str], None] = lambda _name: None,
) -> BuildResult:
    """Build the report into `out_dir`. `step(name)` is called as each stage starts."""
    from veikart.views import render

    previous_lang = current_language()
    set_language(lang)
    if chart_cache is not False:
        # the chart workers start their engines while the data are loaded and assessed and the
        # report composed (a caller may have started them earlier still: the CLI does)
        render.warm_up(chart_cache if isinstance(chart_cache, Path) else None)
    try:
        return _build(store, period_id, out_dir, formats, lang, as_of, framework_id, template, chart_cache, step)
    finally:
        render.cool_down()  # workers started ahead and not used (a failure before the charts)
        set_language(previous_lang)


def _build(
    store: Store,
    period_id: str | None,
    out_dir: Path,
    formats: tuple[str, ...],
    lang: str,
    as_of: datetime | None,
    framework_id: str | None,
    template: Path | None,
    chart_cache: Path | None | bool,
    step: Callable[[str], None],
) -> BuildResult:
    step("load")
    data = localised(store.load(framework_id, as_of=as_of), lang)  # titles and labels in the report's language
    period = None
    if period_id is not None:
        period = data.periods.get(period_id)
        if period is None:
            raise StoreError(
                N_("period {period!r} is not in framework {fid!r}; it has: {ids}"),
                period=period_id,
                fid=data.framework.id,
                ids=", ".join(data.periods) or "-",
            )
    prev_period, prev_data = _previous(store, data, period_id, as_of) if period_id else (None, None)
    vintage = store.vintage(data.framework.id, as_of=as_of)
    # What the figures are "as known on": the report's as-of when it has one, else the store's
    # vintage (its last change before the build), never the day the report happens to be built.
    known = as_of if as_of is not None else vintage
    sde = source_date_epoch()

    step("progress")
    now = date_as_fractional_year(period.date) if period else None
    results: list[IndicatorResult] = assess_framework(data, now=now)

    step("compose")
    provenance = {
        "framework": data.framework.id,
        "period": period_id,
        "as_of": as_of.isoformat() if as_of else None,
        "data_vintage": vintage.isoformat() if vintage else None,
        "data_as_of": fmt_date(known.date()) if known else None,
    }
    report: Report = compose_report(
        ReportInputs(
            data,
            period,
            lang,
            partial(chart_for, vintage=provenance["data_as_of"], show_title=False),
            previous=prev_data,
            previous_period=prev_period,
            results=results,
            provenance=provenance,
        )
    )
    renderer = ChartRenderer(chart_cache)

    try:
        return _render_outputs(report, results, renderer, out_dir, formats, lang, sde, template, step)
    finally:
        if "pdf" in formats:
            from veikart.report.pdf import cool_down

            cool_down()  # workers started ahead and not used (a failure before the PDF)


def _render_outputs(
    report: Report,
    results: list[IndicatorResult],
    renderer: ChartRenderer,
    out_dir: Path,
    formats: tuple[str, ...],
    lang: str,
    sde: int | None,
    template: Path | None,
    step: Callable[[str], None],
) -> BuildResult:
    step("charts")
    renderer.prerender(
        [c.spec for c in report.charts.values()],
        svg="html" in formats or "pdf" in formats,
        png="pptx" in formats,
        pdf="pdf" in formats,
        meanwhile=partial(_import_renderers, formats, report, renderer),  # while the chart workers draw
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    result = BuildResult(out_dir)
    outputs: dict[str, bytes] = {}
    beside = None
    if "pptx" in formats:
        step("pptx")
        if len(formats) > 1 and _can_fork():
            beside = _Beside(_pptx, (report, renderer, template, sde, lang))
        else:
            outputs["pptx"] = _pptx(report, renderer, template, sde, lang)
    try:
        if "html" in formats:
            from veikart.report.html import render_html

            step("html")
            outputs["html"] = render_html(report, renderer, interactive=True).encode("utf-8")
        if "pdf" in formats:
            from veikart.report.pdf import render_pdf

            step("pdf")
            outputs["pdf"] = render_pdf(report, renderer, source_date_epoch=sde)
    except BaseException:
        if beside is not None:
            beside.close()  # the build failed: nothing waits for the PPTX
        raise
    if beside is not None:
        outputs["pptx"] = beside.result()

    step("write")
    for fmt, blob in outputs.items():
        path = out_dir / f"report.{fmt}"
        _write_atomic(path, blob)
        result.files[fmt] = path
    manifest = _manifest(report, results, outputs, lang, sde, template)
    blob = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    _write_atomic(out_dir / "manifest.json", blob)
    result.files["manifest"] = out_dir / "manifest.json"
    result.manifest = manifest
    result.charts_rendered = renderer.rendered
    return result


def _import_renderers(formats: tuple[str, ...], report: Report, renderer: ChartRenderer) -> None:
    """The renderers' libraries, imported while the chart workers draw (WeasyPrint and
    python-pptx take about a second to import), and the PDF's layout workers started (as many
    as there are slides to lay out, none when the cache has all but a few)."""
    if "pdf" in formats:
        from veikart.report.pdf import warm_up

        warm_up(report=report, charts=renderer)  # the layout workers start now, not when the PDF is due
    if "pptx" in formats:
        import veikart.report.pptx  # noqa: F401


def _pptx(report: Report, renderer: ChartRenderer, template: Path | None, sde: int | None, lang: str) -> bytes:
    from veikart.report.pptx import render_pptx

    set_language(lang)
    return render_pptx(report, renderer, template=template, source_date_epoch=sde)


def _can_fork() -> bool:
    import multiprocessing

    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


_BESIDE: dict[str, Any] = {}  # the job of a forked child: inherited, not pickled


class _Beside:
    """One output made in a forked child process while this one makes the others: the PPTX
    (python-pptx is serial Python, about a second for the bundled default and ten for 250
    indicators) beside the HTML and the PDF, whose layout workers would otherwise leave a core
    idle while this process waits. The child needs no chart drawn (the images are in the
    renderer's cache before it starts) and returns the file's bytes and its log records, which
    are logged again here."""

    def __init__(self, make: Callable[..., bytes], args: tuple[Any, ...]):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _BESIDE.update(make=make, args=args)
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self._future = self._pool.submit(_beside_job)

    def close(self) -> None:
        """Stop waiting for the child (it ends when its job does)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        _BESIDE.clear()

    def result(self) -> bytes:
        import logging

        try:
            data, records = self._future.result()
        finally:
            self._pool.shutdown()
            _BESIDE.clear()
        for name, level, message in records:
            logging.getLogger(name).log(level, "%s", message)
        return data


def _beside_job() -> tuple[bytes, list[tuple[str, int, str]]]:
    import logging

    records: list[tuple[str, int, str]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.name, record.levelno, record.getMessage()))

    root = logging.getLogger()
    handlers, root.handlers = root.handlers, [Keep(logging.WARNING)]
    try:
        data = _BESIDE["make"](*_BESIDE["args"])
    finally:
        root.handlers = handlers
    return data, records


def _manifest(
    report: Report,
    results: list[IndicatorResult],
    outputs: dict[str, bytes],
    lang: str,
    sde: int | None,
    template: Path | None,
) -> dict[str, Any]:
    charts: dict[str, Any] = {}
    for cid, chart in sorted(report.charts.items()):
        charts[cid] = {
            "spec_sha256": _sha(json.dumps(chart.spec, sort_keys=True, ensure_ascii=False).encode()),
            "illustrative": chart.illustrative,
            "provenance": chart.provenance,
        }
    return {
        "report": {"title": report.title, "period": report.period_id, "date": report.date_text, "lang": lang},
        "inputs": report.provenance,
        "code": {"veikart": veikart.__version__, "source_sha256": code_hash()},
        "source_date_epoch": sde,
        "built": datetime.fromtimestamp(sde, UTC).isoformat() if sde is not None else None,
        "template": {"name": template.name, "sha256": _sha(template.read_bytes())} if template else None,
        "outputs": {f"report.{fmt}": {"sha256": _sha(blob), "bytes": len(blob)} for fmt, blob in sorted(outputs.items())},
        "slides": [{"id": s.id, "kind": s.kind, "title": s.title} for s in report.slides],
        "statuses": {r.indicator.id: r.status.value for r in results},
        "charts": charts,
        "illustrative_data": bool(report.illustrative_notice),
    }
