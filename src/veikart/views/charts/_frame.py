"""The finished spec: the title block, the datasets, the description (the alt text) and the
config, as a `ChartSpec`; and the chart of an indicator with nothing to draw."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from veikart.i18n import _
from veikart.views.charts._altair import _ch, _wrap
from veikart.views.charts.provenance import _Provenance
from veikart.views.charts.style import MUTED, WIDTH, _config
from veikart.views.chartspec import ChartSpec


def _title(title: str, subtitle: Sequence[str], show_title: bool) -> alt.TitleParams | None:
    """The title block: the title, then the notice and the key in words. Without the title (the
    page shows it) the first line of the subtitle, the notice if any, takes its place in bold."""
    lines = [line for line in subtitle if line]
    if show_title:
        return alt.TitleParams(_wrap(title, 90), subtitle=lines or alt.Undefined)
    if not lines:
        return None
    return alt.TitleParams(lines[0], subtitle=lines[1:] or alt.Undefined, fontSize=12, fontWeight="bold")


def _finish(
    chart: alt.Chart | alt.LayerChart | alt.FacetChart,
    datasets: dict[str, list[dict[str, Any]]],
    *,
    chart_id: str,
    title: str,
    subtitle: Sequence[str],
    show_title: bool,
    alt_text: str,
    prov: _Provenance,
    size: tuple[int, int],
) -> ChartSpec:
    head = _title(title, subtitle, show_title)
    if head is not None:
        chart.title = head  # our own fresh chart: set, without .properties()' copy and validation
    # Altair's schema validation would take two thirds of the build; the tests validate instead
    spec = chart.to_dict(validate=False)
    spec["datasets"] = datasets
    spec["description"] = alt_text
    spec["config"] = _config()
    return ChartSpec(chart_id, title, spec, alt_text, prov.line, prov.illustrative, *size)


def _empty(*, chart_id: str, title: str, prov: _Provenance, show_title: bool) -> ChartSpec:
    text = _("No observations to draw yet.")
    chart = alt.Chart(
        alt.NamedData("note"),
        mark=alt.MarkDef(type="text", fontSize=14, color=MUTED),
        encoding=alt.FacetedEncoding(text=_ch(alt.Text, "f:N")),
        width=WIDTH,
        height=100,
    )
    return _finish(
        chart,
        {"note": [{"f": text}]},
        chart_id=chart_id,
        title=title,
        subtitle=[],
        show_title=show_title,
        alt_text=text,
        prov=prov,
        size=(WIDTH, 150),
    )
