"""The HTML report: one self-contained file, accessible, nothing loaded from elsewhere, text safe."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_executable
from tests.report._html_sample import HOSTILE, ILLUSTRATIVE_NOTICE, LONG_TABLE_ROWS, sample_report
from veikart.report.document import Bullets, ChartBlock, ChartSpec, Paragraph, Report, Section, Slide
from veikart.report.html import contrast_ratio, inline_markdown, render_html, script_json
from veikart.views.render import ChartRenderer, vega_embed_bundle

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        if tag is None or self.tag == tag:
            yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter(tag)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_class(self, cls: str) -> list[Node]:
        return [n for n in self.iter() if cls in n.classes()]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def charts() -> ChartRenderer:
    return ChartRenderer(cache_dir=False)


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def static_html(report: Report, charts: ChartRenderer) -> str:
    return render_html(report, charts, interactive=False)


@pytest.fixture(scope="module")
def live_html(report: Report, charts: ChartRenderer) -> str:
    return render_html(report, charts, interactive=True)


@pytest.fixture(scope="module")
def doc(static_html: str) -> Node:
    return parse(static_html)


@pytest.fixture(scope="module")
def live_doc(live_html: str) -> Node:
    return parse(live_html)


def _slides(doc: Node) -> list[Node]:
    return [n for n in doc.iter("section") if "slide" in n.classes()]


def test_document_language_and_title(doc: Node, charts: ChartRenderer) -> None:
    html = next(doc.iter("html"))
    assert html.attrs["lang"] == "nb"
    assert "Statusrapport" in next(doc.iter("title")).text()
    english = parse(render_html(sample_report(lang="en"), charts, interactive=False))
    assert next(english.iter("html")).attrs["lang"] == "en"
    assert "Notes" in [squash(s.text()) for s in english.iter("summary")]


def test_slides_in_order_with_heading_hierarchy(doc: Node, report: Report) -> None:
    sections = _slides(doc)
    assert [s.attrs["id"] for s in sections] == [s.id for s in report.slides]
    h1 = list(doc.iter("h1"))
    assert [squash(h.text()) for h in h1] == [report.slides[0].title]
    h2_texts = [squash(h.text()) for h in doc.iter("h2")]
    for slide, section in zip(report.slides, sections, strict=True):
        if slide.kind == "title":
            continue
        assert slide.title in h2_texts
        heading = next(section.iter("h2"))
        assert squash(heading.text()) == slide.title
        assert section.attrs["aria-labelledby"] == heading.attrs["id"]
        titled = [sec.title for sec in slide.sections if sec.title]
        assert [squash(h.text()) for h in section.iter("h3")] == titled
        assert not list(section.iter("h1"))


def test_every_chart_is_an_inline_svg_with_an_accessible_name(doc: Node, report: Report) -> None:
    figures = list(doc.iter("figure"))
    assert len(figures) == len(report.charts)
    for fig in figures:
        svgs = list(fig.iter("svg"))
        assert len(svgs) == 1
        svg = svgs[0]
        assert svg.attrs["role"] == "img"
        title = next(svg.iter("title"))
        chart = next(c for c in report.charts.values() if c.alt == svg.attrs["aria-label"])
        assert squash(title.text()) == chart.alt
        assert svg.attrs["aria-labelledby"] == title.attrs["id"]
        caption = squash(next(fig.iter("figcaption")).text())
        provenance_text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", chart.provenance)
        assert provenance_text in caption
        assert (ILLUSTRATIVE_NOTICE in caption) == chart.illustrative


def test_illustrative_notice_is_visible(doc: Node) -> None:
    notices = doc.find_class("illustrative-notice")
    assert notices, "the illustrative notice must be shown"
    assert all(squash(n.text()) == ILLUSTRATIVE_NOTICE for n in notices)
    title_page = _slides(doc)[0]
    assert title_page.find_class("illustrative-notice")


def test_ids_are_unique_and_internal_links_resolve(doc: Node, live_doc: Node) -> None:
    for tree in (doc, live_doc):
        ids = [n.attrs["id"] for n in tree.iter() if "id" in n.attrs]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        for a in tree.iter("a"):
            href = a.attrs.get("href", "")
            if href.startswith("#"):
                assert href[1:] in ids, href
        for n in tree.iter():
            for attr in ("aria-labelledby", "aria-describedby"):
                for ref in n.attrs.get(attr, "").split():
                    assert ref in ids, (attr, ref)


URL_ATTRS = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
}


def _local(url: str) -> bool:
    url = url.strip()
    return url.startswith("#") or url.lower().startswith("data:")


def _css_urls(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", css, flags=re.IGNORECASE)
    urls += re.findall(r"@import\s+['\"]([^'\"]+)", css, flags=re.IGNORECASE)
    return urls


@pytest.mark.parametrize("which", ["static", "live"])
def test_nothing_is_loaded_from_elsewhere(which: str, doc: Node, live_doc: Node) -> None:
    tree = doc if which == "static" else live_doc
    assert not list(tree.iter("base"))
    assert not list(tree.iter("link")), "no <link>: styles are inline"
    for node in tree.iter():
        for attr in URL_ATTRS.get(node.tag, ()):
            if attr in node.attrs:
                assert _local(node.attrs[attr]), (node.tag, attr, node.attrs[attr][:80])
        if "style" in node.attrs:
            assert all(_local(u) for u in _css_urls(node.attrs["style"])), node.attrs["style"]
    for style in tree.iter("style"):
        css = style.text()
        assert "@import" not in css
        assert all(_local(u) for u in _css_urls(css))
        assert "@font-face" not in css, "no web fonts"


def test_vega_embed_bundle_inlined_once_only_when_interactive(
    static_html: str, live_html: str, live_doc: Node, report: Report
) -> None:
    marker = "window.vegaEmbed="
    assert marker in vega_embed_bundle()
    assert live_html.count(marker) == 1
    assert marker not in static_html
    assert "vegaEmbed" not in static_html
    scripts = list(live_doc.iter("script"))
    code = [s for s in scripts if s.attrs.get("type") != "application/json"]
    assert len(code) == 2  # the bundle and the few lines that swap the SVGs for live views
    assert all("src" not in s.attrs for s in scripts)
    data = {s.attrs["id"]: json.loads(s.text()) for s in scripts if s.attrs.get("type") == "application/json"}
    assert len(data) == len(report.charts)
    for fig in live_doc.iter("figure"):
        spec = data[fig.attrs["data-vk-spec"]]
        svg = next(fig.iter("svg"))
        chart = next(c for c in report.charts.values() if c.alt == svg.attrs["aria-label"])
        assert spec["description"] == chart.alt
        assert {k: v for k, v in spec.items() if k != "description"} == chart.spec
    assert not list(parse(static_html).iter("script"))


def test_script_content_cannot_end_the_element(charts: ChartRenderer) -> None:
    evil = "</script><script>alert(1)</script><!--"
    assert "</" not in script_json({"title": evil}) and "<!--" not in script_json({"title": evil})
    assert json.loads(str(script_json({"title": evil}))) == {"title": evil}
    base = sample_report()
    chart = base.charts["chart-velferdsteknologi"]
    spec = dict(chart.spec, title=evil)
    report = replace(base, charts={**base.charts, chart.id: replace(chart, spec=spec)})
    tree = parse(render_html(report, charts, interactive=True))
    json_scripts = [s for s in tree.iter("script") if s.attrs.get("type") == "application/json"]
    assert any(json.loads(s.text()).get("title") == evil for s in json_scripts)
    assert (
        sum(
            1
            for s in tree.iter("script")
            if "alert(1)" in s.text() and s.attrs.get("type") != "application/json"
        )
        == 0
    )


def test_markdown_links_and_escaping(static_html: str, doc: Node) -> None:
    pairs = {(squash(a.text()), a.attrs["href"]) for a in doc.iter("a")}
    assert ("SSB/KPR", "https://www.ssb.no/") in pairs
    assert ("SSB/KPR", "https://www.ssb.no/statbank/table/12345") in pairs  # in the chart's provenance line
    links = dict(pairs)
    assert links["Delmål 1A Innbygger skal ha mulighet til å administrere behandlingsforløp"] == (
        "https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi/1a"
    )
    bare = (
        "https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi/1c"
    )
    assert links[bare] == bare
    assert links["Siden forrige rapport"] == "#since-last"
    assert not any(href.lower().startswith("javascript:") for href in links.values())
    # an unsafe link keeps its text without the link (and without its markup), as in the deck
    assert "Ondsinnet lenke" in doc.text() and "(javascript:alert(2))" not in doc.text()
    # the hostile paragraph is text, not markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in static_html
    assert "&lt;b&gt;fet&lt;/b&gt;" in static_html
    assert not any("alert(1)" in s.text() for s in doc.iter("script"))
    assert not list(doc.iter("b"))
    assert HOSTILE in squash(doc.text())
    strong = [squash(s.text()) for s in doc.iter("strong")]
    assert "EHDS" in strong and "3" in strong
    assert "100 %" in [squash(e.text()) for e in doc.iter("em")]


def test_inline_markdown_rules() -> None:
    assert inline_markdown("**a** *b* [c](https://x.no/?a=1&b=2)") == (
        '<strong>a</strong> <em>b</em> <a href="https://x.no/?a=1&amp;b=2">c</a>'
    )
    assert (
        inline_markdown("Se https://x.no/side. Ferdig")
        == 'Se <a href="https://x.no/side">https://x.no/side</a>. Ferdig'
    )
    assert inline_markdown("[x](javascript:alert(1)) og <javascript:alert(1)>") == "x og javascript:alert(1)"
    assert "<a" not in inline_markdown("[x](data:text/html,hei)")
    assert "<a" not in inline_markdown("[x](/relativ/sti)")
    assert inline_markdown("[x](mailto:post@helsedir.no)") == '<a href="mailto:post@helsedir.no">x</a>'
    assert inline_markdown("a <i>b</i> & c") == "a &lt;i&gt;b&lt;/i&gt; &amp; c"
    assert inline_markdown("linje 1\n\n\nlinje 2") == "linje 1<br>\nlinje 2"
    assert inline_markdown("5 * 3 og \\*ikke kursiv\\*") == "5 * 3 og *ikke kursiv*"


def test_tables_are_real_tables(doc: Node, report: Report) -> None:
    tables = list(doc.iter("table"))
    assert tables
    for table in tables:
        head = next(table.iter("thead"))
        assert all(th.attrs.get("scope") == "col" for th in head.iter("th"))
        for row in next(table.iter("tbody")).iter("tr"):
            cells = [c for c in row.children if isinstance(c, Node)]
            assert cells[0].tag == "th" and cells[0].attrs["scope"] == "row"
            assert all(c.tag == "td" for c in cells[1:])
        wrap = table.parent
        assert wrap is not None and wrap.attrs.get("role") == "region" and wrap.attrs.get("aria-label")
        assert wrap.attrs.get("tabindex") == "0"  # a table that scrolls sideways can be scrolled by keyboard
    freshness = next(s for s in _slides(doc) if s.attrs["id"] == "freshness")
    long_table = next(freshness.iter("table"))
    assert len(list(next(long_table.iter("tbody")).iter("tr"))) == LONG_TABLE_ROWS
    assert "lang tabell" in next(long_table.iter("caption")).text()


def test_badges_have_text_and_enough_contrast(doc: Node) -> None:
    badges = doc.find_class("badge")
    labels = {squash(b.text()) for b in badges}
    assert {"God framdrift", "I rute (2,5)", "Ikke vurdert", "Framgang, men for sakte (0,8)"} <= labels
    for b in badges:
        style = dict(part.split(":", 1) for part in b.attrs["style"].split(";") if part)
        assert contrast_ratio(style["background-color"], style["color"]) >= 4.5, (squash(b.text()), style)
    # the badge in the status column replaces the label it repeats
    overview = next(s for s in _slides(doc) if s.attrs["id"] == "overview")
    first_row = next(next(overview.iter("tbody")).iter("tr"))
    assert squash(first_row.text()).count("I rute") == 1


def test_notes_footer_contents_and_skip_link(doc: Node, report: Report) -> None:
    goal = next(s for s in _slides(doc) if s.attrs["id"] == "goal-1")
    details = next(goal.iter("details"))
    assert squash(next(details.iter("summary")).text()) == "Notater"
    assert len(list(details.iter("p"))) == 2
    sections = _slides(doc)
    for n, section in enumerate(sections, start=1):
        footer = section.find_class("slide-footer")[0]
        assert report.footer in squash(footer.text())
        assert f"Lysbilde {n} av {len(sections)}" in squash(footer.text())
    nav = next(doc.iter("nav"))
    targets = [a.attrs["href"] for a in nav.iter("a")]
    assert targets == [f"#{s.id}" for s in report.slides]
    about = doc.find_class("about")[0]  # what the report was made from, in words
    facts = {squash(d.text()): squash(d.parent.text()) for d in about.iter("dt") if d.parent}
    assert facts["Data per"] == "Data per15.01.2026" and facts["Rapporteringsperiode"].endswith("2026-01")
    heads = {n.attrs.get("name"): n.attrs.get("content") for n in doc.iter("meta")}
    assert heads["veikart.data_as_of"] == "15.01.2026"
    skip = next(a for a in doc.iter("a") if "skip-link" in a.classes())
    main = next(doc.iter("main"))
    assert skip.attrs["href"] == "#" + main.attrs["id"]
    assert doc.iter("body").__next__().children  # the page has a body


def test_css_has_focus_styles_and_16_9_print_pages(doc: Node) -> None:
    css = next(doc.iter("style")).text()
    assert ":focus-visible" in css
    assert "size: 338.67mm 190.5mm" in css
    assert "break-after: page" in css
    assert "counter(page)" in css
    assert "Statusrapport januar 2026 · 29.01.2026" in css  # the page footer


def test_goal_slide_layout(doc: Node) -> None:
    goal = next(s for s in _slides(doc) if s.attrs["id"] == "goal-1")
    columns = goal.find_class("columns")[0]
    assert [squash(h.text()) for h in columns.find_class("col--main")[0].iter("h3")] == ["Overordnet status"]
    assert [squash(h.text()) for h in columns.find_class("col--side")[0].iter("h3")] == [
        "Utvalgte indikatorer og strategiske delmål"
    ]
    row = goal.find_class("row--3")[0]
    assert [squash(h.text()) for h in row.iter("h3")] == [
        "Positive hendelser",
        "Utfordringer",
        "Viktige strategiske spørsmål",
    ]
    indicator = next(s for s in _slides(doc) if s.attrs["id"] == "indicator-velferdsteknologi")
    assert indicator.find_class("columns--chart")


def test_unknown_chart_is_an_error(charts: ChartRenderer) -> None:
    base = sample_report()
    broken = replace(
        base, slides=base.slides + (Slide("x", "statistic", "X", (Section(None, (ChartBlock("nope"),)),)),)
    )
    with pytest.raises(ValueError, match="nope"):
        render_html(broken, charts)


def test_report_without_title_slide_still_has_h1(charts: ChartRenderer) -> None:
    chart = ChartSpec("c", "C", sample_report().charts["chart-velferdsteknologi"].spec, "Alt", "Kilde", False)
    report = Report(
        title="Rapport uten forside",
        subtitle="",
        date_text="01.02.2026",
        period_id="",
        lang="en",
        slides=(
            Slide("a", "statistic", "Alpha", (Section("S", (Paragraph("x"), Bullets(()), ChartBlock("c"))),)),
        ),
        charts={"c": chart},
    )
    tree = parse(render_html(report, charts, interactive=False))
    assert [squash(h.text()) for h in tree.iter("h1")] == ["Rapport uten forside"]
    assert [squash(h.text()) for h in tree.iter("h2")] == ["Alpha"]
    assert not tree.find_class("illustrative-notice")
    assert "Skip to content" in squash(tree.text())


def test_a_chart_shown_twice_keeps_ids_unique(charts: ChartRenderer) -> None:
    base = sample_report()
    chart = base.charts["chart-velferdsteknologi"]
    clipped = replace(chart, spec=dict(chart.spec, mark={"type": "bar", "clip": True}))  # draws a clipPath
    twice = Slide(
        "twice", "statistic", "To ganger", (Section(None, (ChartBlock(chart.id), ChartBlock(chart.id))),)
    )
    report = replace(base, slides=base.slides + (twice,), charts={**base.charts, chart.id: clipped})
    tree = parse(render_html(report, charts, interactive=True))
    ids = [n.attrs["id"] for n in tree.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    clips = [n.attrs["id"] for n in tree.iter("clippath")]
    assert len(clips) == 3  # once on the indicator slide, twice on the new one
    for svg in tree.iter("svg"):
        own = {n.attrs["id"] for n in svg.iter("clippath")}
        refs = set(re.findall(r"url\(#([^)]+)\)", str([n.attrs.get("clip-path", "") for n in svg.iter()])))
        assert refs <= own
    specs = [s for s in tree.iter("script") if s.attrs.get("type") == "application/json"]
    assert len(specs) == len(report.charts)  # one spec per chart, however often it is shown


def test_charts_go_live_in_a_browser(tmp_path: Path) -> None:
    """In a real browser every chart becomes a live vega-embed view, except one whose spec
    names a data URL: that keeps its static SVG, and nothing is fetched."""
    chromium = require_executable("chromium", "chromium-browser", package="chromium")
    base = sample_report()
    chart = base.charts["chart-innbyggerundersokelsen"]
    remote = dict(chart.spec, data={"url": "https://example.invalid/data.json"})

    class Offline(ChartRenderer):
        def svg(self, spec: dict[str, Any]) -> str:  # the static chart drawn from the inline values
            return super().svg(chart.spec if spec == remote else spec)

    report = replace(base, charts={**base.charts, chart.id: replace(chart, spec=remote)})
    page = tmp_path / "report.html"
    page.write_text(render_html(report, Offline(cache_dir=False), interactive=True), encoding="utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=15000",
        "--dump-dom",
    ]
    out = subprocess.run([chromium, *flags, page.as_uri()], check=True, capture_output=True, timeout=180)
    dom = parse(out.stdout.decode("utf-8"))
    state = {f.attrs["data-vk-spec"]: f.attrs.get("data-vk-live") for f in dom.iter("figure")}
    assert state == {
        "vk-chart-chart-velferdsteknologi-spec": "true",
        "vk-chart-chart-innbyggerundersokelsen-spec": "static",
    }
    live = next(f for f in dom.iter("figure") if f.attrs.get("data-vk-live") == "true")
    assert not [s for s in live.iter("svg") if "chart-static" in s.classes()]
    assert live.find_class("chart__live")[0].attrs["aria-label"]
    assert b"example.invalid" not in out.stderr
