"""The status report as PDF: WeasyPrint prints the report's HTML (without the interactive
charts) on 16:9 pages, one slide per page, with the date and page number in the footer.

Reproducible: the same report and `source_date_epoch` give the same bytes, in any process.
WeasyPrint writes no date unless the HTML names one, so the PDF's creation and modification
dates come from `source_date_epoch` through <meta name="dcterms.created|modified"> (no dates
when it is None; the caller reads SOURCE_DATE_EPOCH). WeasyPrint writes no document /ID by
default; we give it one, the hash of the HTML (which holds the dates), so that it is stable.
Font subsets are named from an MD5 of the font's description, not by chance; the one random
thing in WeasyPrint's PDF code (an XMP document id) is written only for PDF/A and PDF/UA
variants, which are not used.

Nothing is fetched: the page holds its charts as data: URLs, and any other URL stops the
rendering with an error.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from veikart.report.document import Report
from veikart.report.html import build_html
from veikart.views.render import ChartRenderer

__all__ = ["pdf_html", "render_pdf"]


def _w3c_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pdf_html(report: Report, charts: ChartRenderer, *, source_date_epoch: int | None = None) -> str:
    """The HTML the PDF is printed from: static charts, the dates in <meta> elements."""
    meta = {}
    if source_date_epoch is not None:
        stamp = _w3c_date(int(source_date_epoch))
        meta = {"dcterms.created": stamp, "dcterms.modified": stamp}
    return build_html(report, charts, interactive=False, for_print=True, meta=meta)


def render_pdf(report: Report, charts: ChartRenderer, *, source_date_epoch: int | None = None) -> bytes:
    """The report as PDF bytes (see the module docstring)."""
    # imported here: it takes a moment and only the PDF needs it
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    page = pdf_html(report, charts, source_date_epoch=source_date_epoch)
    identifier = hashlib.sha256(page.encode("utf-8")).hexdigest()[:32].encode("ascii")
    # the page loads nothing from elsewhere: any URL but data: stops the rendering
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=page, base_url=None, url_fetcher=fetcher).render()
    return document.write_pdf(pdf_identifier=identifier)
