"""The status report as PDF: 16:9 pages, one slide per page (a slide with more runs on over
more pages, its title repeated with "(forts.)"), the footer text and page number at the bottom.

Made slide by slide, so that it is quick, incremental and parallel:

1. Each slide is laid out by WeasyPrint as a small document of its own: the print HTML of just
   that slide (`html.build_print_parts`: same template, same base.css and print.css, plus
   print-parts.css), with the stylesheet given apart and parsed once per process, and with no
   page footer. The part (its PDF and a line of JSON: pages, anchors, bookmarks) is kept on disk
   (`cache_dir`, by default `<user cache>/veikart/pdf-slides`) under the SHA-256 of the
   stylesheet, the slide's HTML and the WeasyPrint and pydyf versions. A rebuild after one
   indicator changed lays out only the slides whose HTML changed. The system's fonts are not in
   the key: after changing them, clear the cache. Parts unused for 30 days are deleted.
2. The parts missing from the cache are laid out in parallel by `workers` processes (default:
   one per CPU; forked on Linux after WeasyPrint is imported, so no worker imports it again),
   the largest first; one part alone is laid out in this process. WeasyPrint's warnings in a
   worker are logged again here; a part taken from the cache logs nothing.
3. A slide that links to other slides (the contents) is laid out after them, when their page
   counts are known: each of its links carries the target's page number (`data-page`, shown by
   print-parts.css instead of `target-counter()`), and empty elements with the targets' ids
   stand in for the slides it links to, so that WeasyPrint keeps the links. If its own length
   moves the numbers it shows, it is laid out again (at most three times in all).
4. The page footers are documents of their own, 32 empty pages each, with the footer text at
   the left and the page number at the right as print.css sets them (none on the title page).
   Their numbers never change, so they are cached like the slides and laid out with them.
5. The merge works on the bytes of the parts, which WeasyPrint (through pydyf) writes here with
   plain objects and compressed streams: each part's objects are copied with new numbers (a
   reference is rewritten only outside strings and stream data), each page's content becomes a
   form XObject, and the new page draws it and then its footer, another form. No content stream
   is decoded, so merging takes milliseconds a slide. The PDF keeps what a single WeasyPrint
   document had: a bookmark per slide heading, a named destination for every id (on its page),
   the contents' links to the slides (they point at those names), the language and the title.
   Each slide brings its own font subsets, so the PDF is larger than a single document's.

Reproducible: the same report and `source_date_epoch` give the same bytes, in any process,
with any number of workers, and from a cold or a warm cache (the cache holds exactly the bytes a
layout gave; WeasyPrint writes no date or random value into a part, and the layout does not
depend on what the process laid out before). The PDF's /ID is the SHA-256 of the parts' keys and
the metadata; its creation and modification dates come from `source_date_epoch` (none when it
is None; the caller reads SOURCE_DATE_EPOCH); its /Producer names the WeasyPrint version.

Charts: WeasyPrint does not draw them. A slide is laid out with an empty SVG image of each
chart's size in its place (`html._slot_image`, marked with the chart's id); the layout notes
where each place is, and the merge draws the chart's own one-page vector PDF there (made from
its SVG by vl-convert's svg2pdf, cached by spec like the chart's other images, real text with
embedded font subsets), copied once into the report as a form XObject and scaled into the place.
WeasyPrint's drawing of a chart's SVG took more than half of a chart slide's layout; svg2pdf
takes a fifth of that. A slide's part no longer changes with its chart's data, only with the
chart's size. svg2pdf writes a page's resources and objects in an order that varies from run
to run: the copy sorts the resource dictionaries and numbers the objects in the order they are
reached, so the report's bytes do not vary. The whole-report print HTML (`pdf_html`, for a
browser) keeps the charts as SVG images (`CHART_FORMAT`). Nothing is fetched: any URL but data:
stops the rendering with an error.

The package, one concern a file: `_render` (render_pdf, warm_up, pdf_html), `_plan` (which
parts to lay out when), `_workers` (the layout process pool), `_layout` (one part laid out by
WeasyPrint), `_cache` (parts on disk), `_part` (reading a part's PDF), `_charts` (the charts'
PDFs as forms), `_merge` (the parts into one PDF), `_writer` (writing it), `_stats`.
"""

from __future__ import annotations

from typing import Any

from veikart.report.pdf import _stats
from veikart.report.pdf._charts import _ChartForms as _ChartForms
from veikart.report.pdf._layout import _WARM_PAGE as _WARM_PAGE
from veikart.report.pdf._layout import _lay_out as _lay_out
from veikart.report.pdf._layout import _worker_state as _worker_state
from veikart.report.pdf._part import _PartError as _PartError
from veikart.report.pdf._render import CHART_FORMAT, PART_CHART_FORMAT, pdf_html, render_pdf, warm_up
from veikart.report.pdf._stats import RenderStats
from veikart.report.pdf._workers import _AHEAD_PARTS as _AHEAD_PARTS
from veikart.report.pdf._workers import _IN_PROCESS_MAX as _IN_PROCESS_MAX
from veikart.report.pdf._workers import _WARM as _WARM
from veikart.report.pdf._workers import cool_down
from veikart.report.pdf._writer import _Writer as _Writer

__all__ = [
    "CHART_FORMAT",
    "PART_CHART_FORMAT",
    "RenderStats",
    "cool_down",
    "last_stats",
    "pdf_html",
    "render_pdf",
    "warm_up",
]


def __getattr__(name: str) -> Any:
    # `last_stats` is replaced by every render_pdf: read it where render_pdf sets it
    if name == "last_stats":
        return _stats.last_stats
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
