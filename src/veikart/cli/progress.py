"""`veikart progress` and `veikart backtest`."""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from veikart.app import progress as uc
from veikart.cli._common import app, open_app, out, user_errors
from veikart.i18n import _, fmt_number, fmt_percent
from veikart.i18n.labels import label, progress_badge

__all__ = ["backtest_cmd", "progress_cmd"]


@app.command("progress")
def progress_cmd(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Option(help="Reporting period (e.g. 2026-01): pace is counted from its date.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Use the data known on this date.")] = None,
    framework: Annotated[str | None, typer.Option(help="Framework id, when the store holds several.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: one object per indicator, with its series.")] = False,
) -> None:
    """Status, score, projection and explanation of every indicator (methodology.md)."""
    from veikart.views.explain import explain_indicator, explain_series

    with user_errors(), open_app(ctx) as app_ctx:
        assessed = uc.assess(app_ctx, framework, period=period, as_of=as_of)
    if as_json:
        sys.stdout.write(json.dumps(uc.progress_records(assessed), ensure_ascii=False, indent=2) + "\n")
        return
    data = assessed.loaded.data
    table = Table(title=_("Progress: {title}").format(title=data.framework.title), show_lines=True)
    table.add_column(_("Indicator"), overflow="fold", ratio=2)
    table.add_column(_("Status"), ratio=1)
    table.add_column(_("Explanation"), overflow="fold", ratio=4)
    for r in assessed.results:
        b = progress_badge(r.status.value)
        status = f"[{b.colour}]\u25cf[/] {escape(b.label)}"
        if r.score is not None:
            status += f"\n{_('score')} {fmt_number(r.score, 1)}"
        table.add_row(escape(f"{r.indicator.title} ({r.indicator.id})"), status, escape(explain_indicator(r)))
        for srs in r.series:
            if srs is r.headline or srs.progress is None or not srs.scope:
                continue
            sb = progress_badge(srs.progress.status.value)
            table.add_row(
                escape("  " + ", ".join(srs.scope.values())),
                f"[{sb.colour}]\u25cb[/] {escape(sb.label)}",
                escape(explain_series(r.indicator, srs)),
            )
    out.print(table)


@app.command("backtest")
def backtest_cmd(
    ctx: typer.Context,
    holdout: Annotated[int, typer.Option(min=1, help="Observations held out at the end of each series.")] = 1,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Use the data known on this date.")] = None,
    framework: Annotated[str | None, typer.Option(help="Framework id, when the store holds several.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hold out the last K observations of each series, project from the rest with each model,
    and print each model's mean absolute percentage error and bias."""
    with user_errors(), open_app(ctx) as app_ctx:
        rows = uc.backtest(app_ctx, holdout, framework, as_of=as_of)
    if as_json:
        sys.stdout.write(json.dumps(uc.backtest_records(rows, holdout), ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=_("Backtest, last {k} observation(s) held out").format(k=holdout))
    for col in (_("Model"), _("Series"), _("Points"), _("MAPE"), _("Bias"), _("Chosen in metadata")):
        table.add_column(col)
    for r in rows:
        mape = "-" if math.isnan(r.summary.mape) else fmt_percent(r.summary.mape, 1)
        bias = "-" if math.isnan(r.summary.bias) else fmt_percent(r.summary.bias, 1)
        table.add_row(label(r.model), str(r.summary.n_series), str(r.summary.n_errors), mape, bias, str(r.chosen_by))
    out.print(table)
    out.print(_("Illustrative data are made up to draw charts whose values cannot be read; not official figures."))
