"""The status report as one self-contained HTML file (and the HTML that the PDF is printed from).

Everything the page needs is inside the file, so it works offline and loads nothing from
elsewhere: the CSS inline, every chart as an inline SVG (the static fallback, with its alt text
as the accessible name and the provenance line as the caption), and, when `interactive`, the
vega-embed bundle once plus a few lines that replace each SVG by the live view of the same
Vega-Lite spec. Links to other pages stay links.

Layout and print rules live in `templates/` (Jinja2 and CSS); this module turns the document
into what the templates show: inline markup (CommonMark, read as the deck reads it) to safe
HTML, badge colours checked for contrast, SVG ids made unique, JSON and JavaScript made safe
inside <script>.
"""

from __future__ import annotations

import base64
import html
import json
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from veikart.report.document import (
    Badge,
    Block,
    Bullets,
    Callout,
    ChartBlock,
    ChartSpec,
    Facts,
    Paragraph,
    Report,
    Section,
    Slide,
    TableBlock,
)
from veikart.report.markup import inline_markdown
from veikart.report.words import renderer_words
from veikart.views.render import ChartRenderer, vega_embed_bundle

__all__ = [
    "PrintParts",
    "badge_style",
    "build_html",
    "build_print_footer",
    "build_print_parts",
    "contrast_ratio",
    "inline_markdown",
    "render_html",
    "script_js",
    "script_json",
]

TEMPLATES = Path(__file__).parent / "templates"

#: The scale of chart PNGs in print (the PPTX uses the same images, so they are rendered once).
PNG_SCALE = 2.0

def _labels(lang: str) -> dict[str, str]:
    return renderer_words(lang)


def _paragraphs(text: str) -> list[Markup]:
    """A paragraph's text, split on blank lines; single newlines become line breaks."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "")]
    return [inline_markdown(p) for p in parts if p]


# --- colours --------------------------------------------------------------------------------

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_NAMED = re.compile(r"^[a-zA-Z]{3,20}$")


def _safe_colour(value: str, fallback: str) -> str:
    value = (value or "").strip()
    return value if _HEX.match(value) or _NAMED.match(value) else fallback


def _luminance(colour: str) -> float | None:
    if not _HEX.match(colour):
        return None
    h = colour[1:]
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = []
    for i in (0, 2, 4):
        c = int(h[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float | None:
    la, lb = _luminance(a), _luminance(b)
    if la is None or lb is None:
        return None
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def badge_style(badge: Badge) -> str:
    """Inline style for a badge: its colours, with the text colour replaced by black or white
    when the given one falls short of WCAG AA (4.5:1) against the fill."""
    fill = _safe_colour(badge.colour, "#6b6b6b")
    text = _safe_colour(badge.text_colour, "#000000")
    ratio = contrast_ratio(fill, text)
    if ratio is not None and ratio < 4.5:
        black, white = contrast_ratio(fill, "#000000") or 0, contrast_ratio(fill, "#ffffff") or 0
        text = "#000000" if black >= white else "#ffffff"
    return f"background-color:{fill};color:{text}"


# --- charts ---------------------------------------------------------------------------------

_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_ID_ATTR = re.compile(r'(?<![\w:-])id="([^"]+)"')
_ID_REF = re.compile(r'url\(#([^)\s]+)\)|((?<![\w-])(?:xlink:)?href=")#([^"]+)"')
_OWN_ATTRS = re.compile(r'\s(?:role|aria-label|aria-labelledby|focusable|class)="[^"]*"')
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def _svg_inline(svg: str, *, prefix: str, alt: str) -> Markup:
    """The chart's SVG ready to sit inside the page: its ids (clip paths, gradients) made
    unique to this figure, the root given role="img" with the alt text as aria-label and
    <title>."""
    svg = _XML_DECL.sub("", svg)
    ids = set(_ID_ATTR.findall(svg))
    if ids:
        svg = _ID_ATTR.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)

        def ref(m: re.Match[str]) -> str:
            if m.group(1) is not None:
                return f"url(#{prefix}-{m.group(1)})" if m.group(1) in ids else m.group(0)
            return f'{m.group(2)}#{prefix}-{m.group(3)}"' if m.group(3) in ids else m.group(0)

        svg = _ID_REF.sub(ref, svg)
    m = _SVG_OPEN.search(svg)
    if m is None:
        raise ValueError("the chart renderer returned no <svg> element")
    tag = _OWN_ATTRS.sub("", m.group(0))  # ours win over any the renderer wrote
    esc = html.escape(alt, quote=True)
    title_id = f"{prefix}-title"
    tag = (
        tag[:-1].rstrip("/")
        + f' class="chart-static" role="img" aria-labelledby="{title_id}" aria-label="{esc}" focusable="false">'
    )
    return Markup(svg[: m.start()] + tag + f'<title id="{title_id}">{esc}</title>' + svg[m.end() :])


def _svg_image(svg: str, *, alt: str) -> Markup:
    """The chart's SVG as an <img> with a data: URL. For print only: WeasyPrint parses an SVG
    image with a fast XML parser and styles none of its nodes as HTML, which makes the PDF of
    the default deck about a second quicker than with inline SVG; the drawing is the same."""
    data = base64.b64encode(_XML_DECL.sub("", svg).encode("utf-8")).decode("ascii")
    esc = html.escape(alt, quote=True)
    return Markup(f'<img class="chart-static" alt="{esc}" src="data:image/svg+xml;base64,{data}">')


_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
_SVG_SIZE = re.compile(r'\s(width|height|viewBox)="([^"]*)"')


def _slot_image(svg: str, *, alt: str, chart_id: str) -> Markup:
    """A place for the chart: an empty SVG image of the chart's own size (so the slide is laid
    out exactly as with the chart), marked with the chart's id. The PDF draws the chart there
    afterwards, from the chart's own PDF (see pdf.py): quicker than having WeasyPrint draw it."""
    root = _SVG_ROOT.search(svg)
    attrs = dict(_SVG_SIZE.findall(root.group(0))) if root else {}
    if "width" not in attrs or "height" not in attrs:
        raise ValueError(f"chart {chart_id}: its SVG has no width and height")
    size = " ".join(f'{k}="{html.escape(attrs[k], quote=True)}"' for k in ("width", "height", "viewBox") if k in attrs)
    empty = f'<svg xmlns="http://www.w3.org/2000/svg" {size}></svg>'
    data = base64.b64encode(empty.encode("utf-8")).decode("ascii")
    esc, cid = html.escape(alt, quote=True), html.escape(chart_id, quote=True)
    return Markup(f'<img class="chart-static" data-vk-chart="{cid}" alt="{esc}" src="data:image/svg+xml;base64,{data}">')


def _png_image(png: bytes, *, alt: str, scale: float) -> Markup:
    """The chart's PNG (rendered at `scale`) as an <img> with a data: URL, sized as its SVG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("the chart renderer returned no PNG image")
    width, height = struct.unpack(">II", png[16:24])
    data = base64.b64encode(png).decode("ascii")
    esc = html.escape(alt, quote=True)
    size = f"width:{width / scale:g}px;height:{height / scale:g}px"
    return Markup(f'<img class="chart-static" alt="{esc}" style="{size}" src="data:image/png;base64,{data}">')


def script_json(value: Any) -> Markup:
    """JSON for a <script type="application/json"> element: nothing in it can end the element
    or start a comment (<, >, & and the JS line separators written as \\u escapes)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)


def script_js(code: str) -> Markup:
    """JavaScript safe inside a <script> element: '</script' and '<!--' cannot occur."""
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
    code = code.replace("<!--", "<\\!--")
    return Markup(code)


@dataclass(frozen=True)
class _Figure:
    key: str  # DOM id of this figure (unique per occurrence)
    spec_id: str  # DOM id of the chart's JSON spec (one per chart)
    chart: ChartSpec
    svg: Markup
    show_title: bool


class _Figures:
    """The report's charts for one rendering: each SVG fetched once from the renderer; each
    occurrence on the page gets ids of its own."""

    def __init__(
        self, report: Report, charts: ChartRenderer, *, as_images: bool = False, image_format: str = "svg"
    ):
        if image_format not in ("svg", "png", "slot"):
            raise ValueError(f"image_format must be 'svg', 'png' or 'slot', not {image_format!r}")
        self.as_images = as_images
        self.image_format = image_format if as_images else "svg"
        self.renderer = charts
        used = {
            b.chart_id
            for s in report.slides
            for sec in s.sections
            for b in sec.blocks
            if isinstance(b, ChartBlock)
        }
        missing = sorted(used - set(report.charts))
        if missing:
            raise ValueError(
                f"the report refers to chart(s) {', '.join(missing)} that are not in Report.charts; "
                "add a ChartSpec for each ChartBlock"
            )
        self.keys = _chart_keys(report)
        self.charts = {cid: c for cid, c in report.charts.items() if cid in used}
        if self.image_format in ("svg", "slot"):
            self.svgs = {cid: charts.svg(c.spec) for cid, c in self.charts.items()}
        else:
            self.svgs = {}
        self._seen: dict[str, int] = {}

    def __call__(self, chart_id: str) -> _Figure:
        chart = self.charts[chart_id]
        n = self._seen[chart_id] = self._seen.get(chart_id, 0) + 1
        key = self.keys[chart_id] + ("" if n == 1 else f"-{n}")
        alt = chart.alt or chart.title
        if self.image_format == "slot":
            svg = _slot_image(self.svgs[chart_id], alt=alt, chart_id=chart_id)
        elif self.image_format == "png":
            svg = _png_image(self.renderer.png(chart.spec, scale=PNG_SCALE), alt=alt, scale=PNG_SCALE)
        elif self.as_images:
            svg = _svg_image(self.svgs[chart_id], alt=alt)
        else:
            svg = _svg_inline(self.svgs[chart_id], prefix=key, alt=alt)
        return _Figure(key, self.keys[chart_id] + "-spec", chart, svg, show_title="title" not in chart.spec)

    @property
    def illustrative(self) -> bool:
        return any(c.illustrative for c in self.charts.values())


# --- view model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """One row of a slide's body.

    "stack": sections one under the other, full width. "columns": the consecutive main and
    side sections as a wide and a narrow column. "row": two or three consecutive full-width
    sections of short text (bullets, paragraphs) side by side, as the seed deck sets
    "Positive hendelser", "Utfordringer" and "Viktige strategiske spørsmål"; full-width
    lines of 200 characters are hard to read and waste a slide's height."""

    kind: str
    sections: tuple[Section, ...] = ()
    main: tuple[Section, ...] = ()
    side: tuple[Section, ...] = ()

    @property
    def chart_side(self) -> bool:
        """A chart in the side column: that column gets the wider share."""
        return any(isinstance(b, ChartBlock) for s in self.side for b in s.blocks)


_ROW_MAX = 3


def _textual(s: Section) -> bool:
    return bool(s.title) and bool(s.blocks) and all(isinstance(b, (Bullets, Paragraph)) for b in s.blocks)


def _layout(sections: tuple[Section, ...]) -> list[_Layout]:
    rows: list[_Layout] = []
    main: list[Section] = []
    side: list[Section] = []
    full: list[Section] = []

    def flush_columns() -> None:
        if main and side:
            rows.append(_Layout("columns", main=tuple(main), side=tuple(side)))
        elif main or side:
            rows.append(_Layout("stack", sections=tuple(main or side)))
        main.clear()
        side.clear()

    def flush_full() -> None:
        i = 0
        while i < len(full):
            run = 0
            while i + run < len(full) and _textual(full[i + run]):
                run += 1
            if run >= 2:
                for j in range(i, i + run, _ROW_MAX):
                    chunk = tuple(full[j : min(j + _ROW_MAX, i + run)])
                    rows.append(
                        _Layout("row", sections=chunk) if len(chunk) > 1 else _Layout("stack", sections=chunk)
                    )
                i += run
            else:
                rows.append(_Layout("stack", sections=(full[i],)))
                i += 1
        full.clear()

    for s in sections:
        if s.area in ("main", "side"):
            flush_full()
            (main if s.area == "main" else side).append(s)
        else:
            flush_columns()
            full.append(s)
    flush_columns()
    flush_full()
    return rows


def _block_kind(block: Block) -> str:
    for cls, name in (
        (Paragraph, "paragraph"),
        (Bullets, "bullets"),
        (Facts, "facts"),
        (Badge, "badge"),
        (Callout, "callout"),
        (ChartBlock, "chart"),
        (TableBlock, "table"),
    ):
        if isinstance(block, cls):
            return name
    raise TypeError(f"the HTML renderer does not know the block type {type(block).__name__}")


def _dom_id(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return cleaned or "x"


def _chart_keys(report: Report) -> dict[str, str]:
    keys: dict[str, str] = {}
    used: set[str] = set()
    for cid in report.charts:
        key = "vk-chart-" + _dom_id(cid)
        n = 2
        base = key
        while key in used:
            key = f"{base}-{n}"
            n += 1
        used.add(key)
        keys[cid] = key
    return keys


def _table_rows(t: TableBlock) -> Iterator[list[dict[str, Any]]]:
    for i, row in enumerate(t.rows):
        badge = t.badges[i] if i < len(t.badges) else None
        cells = []
        for j, text in enumerate(row):
            cell_badge = badge if badge is not None and t.badge_column == j else None
            same = cell_badge is not None and text.strip() == cell_badge.label.strip()
            cells.append({"text": "" if same else text, "badge": cell_badge, "header": j == 0})
        yield cells


def _css_string(text: str) -> Markup:
    """A CSS string literal (for the page footer): quotes, backslashes, newlines and '<' escaped."""
    out = []
    for ch in text:
        if ch in '"\\<>' or ord(ch) < 0x20 or ch in "\u2028\u2029":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = inline_markdown
    env.filters["paragraphs"] = _paragraphs
    env.filters["css_string"] = _css_string
    env.globals["block_kind"] = _block_kind
    env.globals["badge_style"] = badge_style
    env.globals["layout"] = _layout
    env.globals["table_rows"] = _table_rows
    return env


@cache
def _stylesheet(for_print: bool) -> str:
    """base.css, screen.css (not for WeasyPrint: browser layout it would only warn about) and
    print.css, as one stylesheet."""
    names = ("base.css", "print.css") if for_print else ("base.css", "screen.css", "print.css")
    return "\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in names)


@cache
def _embed_script() -> str:
    return (TEMPLATES / "embed.js").read_text(encoding="utf-8")


def build_html(
    report: Report,
    charts: ChartRenderer,
    *,
    interactive: bool,
    for_print: bool = False,
    meta: dict[str, str] | None = None,
    image_format: str = "svg",
) -> str:
    """The page. `for_print` leaves out what print hides anyway (contents sidebar, speaker
    notes, per-slide footers, skip link): less for WeasyPrint to style, and shows each chart as
    an image (`image_format` "svg" or "png"). `meta` adds <meta name=... content=...> elements
    (the PDF's dates)."""
    return _page(
        report,
        charts,
        _Figures(report, charts, as_images=for_print, image_format=image_format),
        slides=report.slides,
        show_head=not _has_title_slide(report),
        interactive=interactive,
        for_print=for_print,
        meta=meta,
        style=True,
    )


def _has_title_slide(report: Report) -> bool:
    return any(s.kind == "title" for s in report.slides)


def _page(
    report: Report,
    charts: ChartRenderer,
    figures: _Figures,
    *,
    slides: tuple[Slide, ...],
    show_head: bool,
    interactive: bool,
    for_print: bool,
    meta: dict[str, str] | None,
    style: bool,
) -> str:
    """One HTML document showing `slides` of the report (the report head first if `show_head`);
    what depends on the whole report (the illustrative notice, the contents) is decided from the
    whole report. `style=False` leaves the <style> element out (print parts get the stylesheet
    apart) and with it the page footer."""
    labels = _labels(report.lang)
    first_is_title = bool(report.slides) and report.slides[0].kind == "title"
    notice = report.illustrative_notice or labels["illustrative"]
    any_illustrative = figures.illustrative or bool(report.illustrative_notice)
    specs: dict[str, Markup] = {}
    if interactive:
        for cid, chart in figures.charts.items():
            spec = dict(chart.spec)
            spec.setdefault("description", chart.alt)
            specs[figures.keys[cid] + "-spec"] = script_json(spec)
    provenance = [
        (str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True))
        for k, v in report.provenance.items()
        if v is not None
    ]
    about = [(labels.get(f"provenance.{k}", k), v) for k, v in provenance]
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            slides=slides,
            total=len(report.slides),
            labels=labels,
            figure=figures,
            notice=notice,
            any_illustrative=any_illustrative,
            show_head=show_head,
            first_is_title=first_is_title,
            style=style,
            css=Markup(_stylesheet(for_print).replace("</", "<\\/")) if style else None,
            interactive=interactive,
            for_print=for_print,
            specs=specs,
            bundle=script_js(vega_embed_bundle()) if interactive else None,
            embed=script_js(_embed_script()) if interactive else None,
            meta=sorted((meta or {}).items()),
            provenance=provenance if style else [],  # a part holds no report-wide metadata
            about=about,
        )
    )


# --- the PDF, one part at a time --------------------------------------------------------------


@dataclass(frozen=True)
class PrintParts:
    """The print HTML cut into parts that WeasyPrint lays out one by one (see pdf.py): the
    report head when there is no title slide, then one part per slide. Each part is a whole
    HTML document without a <style> element and without document metadata, so that it changes
    only when what it shows changes; `css` is the one stylesheet for all of them (base.css,
    print.css and print-parts.css: no page footer, which is stamped on afterwards)."""

    css: str
    parts: tuple[str, ...]
    names: tuple[str, ...]  # "" for the report head, else the slide's id
    first_is_title: bool


@cache
def print_parts_stylesheet() -> str:
    """The one stylesheet of the print parts (`PrintParts.css`)."""
    return _parts_stylesheet()


@cache
def _parts_stylesheet() -> str:
    return _stylesheet(True) + "\n" + (TEMPLATES / "print-parts.css").read_text(encoding="utf-8")


def build_print_parts(report: Report, charts: ChartRenderer, *, image_format: str = "svg") -> PrintParts:
    """The report's print HTML as parts, one per slide (see `PrintParts`)."""
    figures = _Figures(report, charts, as_images=True, image_format=image_format)
    parts: list[str] = []
    names: list[str] = []
    if not _has_title_slide(report):
        parts.append(
            _page(
                report,
                charts,
                figures,
                slides=(),
                show_head=True,
                interactive=False,
                for_print=True,
                meta=None,
                style=False,
            )
        )
        names.append("")
    for slide in report.slides:
        parts.append(
            _page(
                report,
                charts,
                figures,
                slides=(slide,),
                show_head=False,
                interactive=False,
                for_print=True,
                meta=None,
                style=False,
            )
        )
        names.append(slide.id)
    first_is_title = bool(report.slides) and report.slides[0].kind == "title"
    return PrintParts(_parts_stylesheet(), tuple(parts), tuple(names), first_is_title)


def build_print_footer(report: Report, numbers: range, *, first_is_title: bool) -> str:
    """Empty pages with the page footer of the report, one for each page number in `numbers`:
    the footer text at the left and the number at the right, none on page 1 when that is the
    title page. Laid out with `PrintParts.css`, so the pages and the footer's type are those of
    print.css."""
    return (
        _environment()
        .get_template("print-footer.html.j2")
        .render(
            report=report,
            numbers=numbers,
            no_footer_on_first=first_is_title and len(numbers) > 0 and numbers[0] == 1,
        )
    )


def render_html(report: Report, charts: ChartRenderer, *, interactive: bool = True) -> str:
    """One self-contained HTML file for the report (see the module docstring)."""
    return build_html(report, charts, interactive=interactive)
