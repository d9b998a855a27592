"""One Vega-Lite spec per chart, built with Altair, each returned as a `ChartSpec` with its alt
text and provenance line.

Three kinds of chart (`chart_for` picks one per indicator, `chart_kind` says which):

* **progress** ("Framdrift mot 2030"): the observed series (one line per series; the total drawn
  black and thicker), the ambition (a diamond at the deadline and a dashed line at the target
  value; a dotted line for the level counted as good, where stated) and the projection from the
  last observation to the deadline or the horizon (dashed, with its uncertainty band).
* **category** (statistics, and indicators broken down without a total or an ambition): one line
  per category, small multiples beyond `MAX_LINES` categories, or grouped bars when there are only
  one or two periods.
* **survey**: 100 % stacked bars, one per year, each labelled with its n (one answer per
  respondent); grouped bars per answer with one bar per year and n in the legend (several answers).

Rules every chart follows:

* Numbers and dates in the current language: the spec carries a Vega ``config.locale`` (decimal
  comma, no-break space between thousands and before the percent sign in bokmål). Percent values
  are stored as fractions and formatted with d3's ``%``, so the locale's percent sign applies.
* The Okabe-Ito palette; series also differ by point shape (and the total by line width), and
  observed, projected, ambition and good level differ by dash pattern and are named in words, so
  colour never carries meaning alone.
* Titles, axis titles, legends and the alt text in the current language through ``_()``; the alt
  text is also the spec's ``description``.
* Data honesty: when any plotted observation is illustrative, "Illustrasjonsdata - ikke
  offisielle tall" is in the chart (title block), in the alt text and in the provenance line, and
  ``ChartSpec.illustrative`` is True.
* Pure and deterministic: no I/O, no selections (so no generated parameter or view names), named
  inline datasets holding only the fields drawn, floats rounded. The same input gives the same
  dict.

The package, one concern per module: `style` (palette, shapes, dashes, sizes, Vega config and
locale), `_altair` (plain-dict axes, scales, legends and marks; fast channels; rounding and
wrapping), `_parts` (series order and colours, year axis, value scale, legend, tooltip),
`provenance` (the provenance line and the illustrative notice), `_alttext` (shared alt-text
sentences), `_frame` (the finished `ChartSpec`, the empty chart), `bars` (grouped bars),
`progress`, `category` and `survey` (one chart kind each) and `dispatch` (`chart_kind`,
`chart_for`). The wording (value labels, series names, dimension titles) is `views.vocabulary`'s.
"""

from veikart.views.charts.category import category_chart
from veikart.views.charts.dispatch import MAX_CHART_SERIES, chart_for, chart_kind
from veikart.views.charts.progress import progress_chart
from veikart.views.charts.provenance import illustrative_notice
from veikart.views.charts.style import MAX_LINES, PALETTE, locale_config
from veikart.views.charts.survey import survey_chart

__all__ = [
    "MAX_CHART_SERIES",
    "MAX_LINES",
    "PALETTE",
    "category_chart",
    "chart_for",
    "chart_kind",
    "illustrative_notice",
    "locale_config",
    "progress_chart",
    "survey_chart",
]
