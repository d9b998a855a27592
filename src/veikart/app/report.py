"""Use case: build the council's status report (PPTX, PDF, HTML and manifest.json)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from veikart.app.context import AppContext, parse_as_of
from veikart.errors import UsageError
from veikart.i18n import N_
from veikart.report import FORMATS  # light: the renderers load when a report is built

__all__ = ["FORMATS", "build_report", "check_formats"]



def check_formats(formats: str) -> tuple[str, ...]:
    """'pptx,pdf' -> ('pptx', 'pdf'); an unknown or empty choice is a UsageError."""
    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UsageError(
            N_("unknown format {fmt!r}; choose from pptx, pdf, html"), fmt=",".join(unknown) or formats
        )
    return chosen


def _check_template(template: Path) -> None:
    if not template.is_file():
        raise UsageError(N_("template {path} does not exist"), path=str(template))
    try:
        with zipfile.ZipFile(template) as z:
            ok = "ppt/presentation.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        ok = False
    if not ok:
        raise UsageError(
            N_("template {path} is not a PowerPoint file (.pptx); give a deck saved by PowerPoint"),
            path=str(template),
        )


def build_report(
    ctx: AppContext,
    out_dir: Path,
    *,
    period: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    as_of: str | None = None,
    template: Path | None = None,
    framework: str | None = None,
    lang: str | None = None,
    step: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """The report of `period` (default: the latest) as known on `as_of`, in `lang` (default:
    the context's); the files written, by format."""
    lang = lang or ctx.lang
    if lang not in ("nb", "en"):
        raise UsageError(N_("language {lang!r} is not supported; choose nb or en"), lang=lang)
    if template is not None:
        _check_template(template)
    when = parse_as_of(as_of)
    from veikart.views import render

    # the chart workers start (their JavaScript engines take about half a second) while this
    # process imports the builder, loads the data and composes the report
    render.warm_up()
    try:
        from veikart.report.build import build_report as build

        store = ctx.store()
        if period is None:
            data = store.load(framework, as_of=when)
            if data.periods:
                period = max(data.periods.values(), key=lambda p: p.date).id
        result = build(
            store,
            period_id=period,
            out_dir=out_dir,
            formats=formats,
            lang=lang,
            as_of=when,
            framework_id=framework,
            template=template,
            step=step or (lambda _name: None),
        )
    finally:
        render.cool_down()  # not used (the build failed before its charts): stopped
    return result.files
