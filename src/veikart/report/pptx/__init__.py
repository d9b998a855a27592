"""The status report as a PowerPoint deck: editable text boxes, real tables and chart pictures.

`render_pptx(report, charts)` lays out every slide of a `Report` (see `document.py`) with
python-pptx and returns the .pptx file as bytes. What a slide says is decided by the composer;
this module only decides where it goes.

Design
- Without a template: python-pptx's default template at 16:9 (13.333 x 7.5 in), its "Blank"
  layout and a design of our own: a dark title bar (title 28 pt, shrinking for long titles, the
  status badge at its right end), body text 16 to 9 pt, a footer with the report's footer text
  on the left and the page number on the right of every slide but the title slide.
- With a template (an organisation's .pptx): its masters, layouts, theme fonts and slide size.
  Its slides are removed; the title slide uses the layout "Title Slide"/"Tittellysbilde", the
  others "Title Only"/"Bare tittel" (else "Title and Content"/"Tittel og innhold", else any
  layout with a title). The slide title goes into the title placeholder, our content into text
  boxes in the body area below it, the footer where the layout has its footer placeholders.
- Layouts by slide kind: "goal" as in the seed deck (overall status | selected indicators on
  top, then up to three columns on cards: positive events, challenges, strategic questions;
  further full-width sections below those); "indicator", "statistic", "survey": text left,
  chart right; every other kind flows in one column and continues on further slides ("(forts.)")
  when it does not fit. A table continues on a new slide after at most 12 rows.
- python-pptx cannot measure text, so heights are estimated (an average character is 0.46 em
  wide in Calibri, the default theme's font, 0.5 em in an unknown template font; a line is
  1.2 em high) and each slide gets the largest body size from 16 down to 9 pt at which
  everything fits; columns side by side are widened or narrowed to end about level. Every text frame wraps and has "shrink text on overflow" (normAutofit);
  if even 9 pt does not fit, the frames also carry an explicit font scale and a warning is
  logged, so text never runs off the slide unnoticed.
- Inline markup read as the web page reads it (CommonMark, `report/markup.py`): **bold**,
  *italic*, `code`, links to http(s) and mailto, bare http(s) URLs, [text](#slide-id) a jump to
  another slide of the deck, backslash escapes; a link to any other target keeps its text.
- Reproducible: the same report and `source_date_epoch` give the same bytes (fixed core
  properties, zip entries in a fixed order with a fixed timestamp).
"""

from __future__ import annotations

from veikart.report.markup import plain, safe_url, spans
from veikart.report.pptx._deck import render_pptx
from veikart.report.pptx._measure import count_lines, text_height
from veikart.report.pptx._package import _PartNames as _PartNames

__all__ = ["count_lines", "plain", "render_pptx", "safe_url", "spans", "text_height"]
