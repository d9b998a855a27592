"""The PowerPoint renderer: a hand-built report rendered, re-opened with python-pptx and checked."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from tests.report._sample import GREEN, ILLUSTRATIVE, LINK_1A, LONG_BULLETS, TABLE_ROWS, sample_report
from veikart.report.document import Bullets, Report, Section, Slide
from veikart.report.markup import inline_markdown
from veikart.report.pptx import plain, render_pptx, safe_url, spans
from veikart.report.words import renderer_words
from veikart.views.render import ChartRenderer

EPOCH = 1769644800  # 2026-01-29 00:00:00 UTC
FOOTER = "Statusrapport januar 2026 · 29.01.2026"


@pytest.fixture(scope="module")
def renderer() -> ChartRenderer:
    return ChartRenderer(cache_dir=False)


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def deck_bytes(report: Report, renderer: ChartRenderer) -> bytes:
    return render_pptx(report, renderer, source_date_epoch=EPOCH)


@pytest.fixture(scope="module")
def deck(deck_bytes: bytes):
    return Presentation(io.BytesIO(deck_bytes))


def _texts(shape) -> Iterator[str]:
    if shape.has_text_frame:
        yield shape.text_frame.text
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            for cell in row.cells:
                yield cell.text_frame.text


def slide_text(slide) -> str:
    return "\n".join(t for shape in slide.shapes for t in _texts(shape))


def deck_text(deck) -> str:
    return "\n".join(slide_text(s) for s in deck.slides)


def title_of(slide) -> str:
    for shape in slide.shapes:
        if shape.name == "Title" or (shape.is_placeholder and shape.placeholder_format.type in (1, 3)):
            return shape.text_frame.text
    raise AssertionError("slide without a title")


def runs(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for p in shape.text_frame.paragraphs:
                    yield from ((slide, r) for r in p.runs)


# --- structure -------------------------------------------------------------------------------


def test_16_to_9(deck) -> None:
    assert deck.slide_width == Emu(12192000)
    assert deck.slide_height == Emu(6858000)


def test_every_slide_title_and_continuations(deck, report: Report) -> None:
    titles = [title_of(s) for s in deck.slides]
    for s in report.slides:
        assert s.title in titles, s.title
    continued = [t for t in titles if t.endswith("(forts.)")]
    assert any(t.startswith("Siden forrige rapport") for t in continued)  # the long bullet list
    overview = [t for t in titles if t.startswith("Oversikt over indikatorene")]
    assert len(overview) >= 3  # 30 rows, at most 12 a slide
    # the expected deck: 10 slides + 1 continuation of "Siden forrige rapport" + overview pages - 1
    assert len(deck.slides) == len(report.slides) + 1 + len(overview) - 1
    assert titles[0] == report.slides[0].title


def test_tables_paginated_with_header_and_badges(deck) -> None:
    rows: list[tuple[str, ...]] = []
    for slide in deck.slides:
        if not title_of(slide).startswith("Oversikt over indikatorene"):
            continue
        tables = [s.table for s in slide.shapes if s.has_table]
        assert len(tables) == 1
        table = tables[0]
        assert 1 < len(table.rows) <= 13  # header + at most 12 rows
        assert table.cell(0, 1).text == "Indikator"  # the header on every page
        for i in range(1, len(table.rows)):
            rows.append(tuple(table.cell(i, j).text for j in range(len(table.columns))))
            status = table.cell(i, 2)
            if status.text.startswith("I rute"):
                assert status.text == "I rute (2,5)"
                assert str(status.fill.fore_color.rgb) == "009E73"
        assert "Alle indikatorer" in slide_text(slide)  # the caption
    assert len(rows) == len(TABLE_ROWS) == 30
    assert [r[1] for r in rows] == [r[1] for r in TABLE_ROWS]


def test_key_texts(deck) -> None:
    text = deck_text(deck)
    for expected in (
        LONG_BULLETS[0],
        LONG_BULLETS[-1],
        "Foreslått ambisjon",
        "100 % innen 2030",
        "Noe bekymring",
        "I rute (2,5)",
        "Kilde: SSB/KPR",
        "Oppdatering: Årlig oppdatering",
        "Flere svar mulig; tallene er usikre.",
        "Hvordan følge opp digitale helsetjenester?",
        "Januar 2026 – Helsedirektoratet",
        "29.01.2026",
        "Innbyggerne",
    ):
        assert expected in text, expected
    assert "**" not in text and "](" not in text  # markup became formatting


def test_badge_next_to_title_has_colour_and_label(deck) -> None:
    goal = next(s for s in deck.slides if title_of(s) == "Oppsummering status mål 1")
    badges = [s for s in goal.shapes if s.name == "Status: Noe bekymring"]
    assert badges, "badge shape"
    title = next(s for s in goal.shapes if s.name == "Title")
    top = min(badges, key=lambda b: b.top)
    assert top.top < title.top + title.height and top.left > title.left + title.width - 1  # beside it
    assert top.text_frame.text == "Noe bekymring"
    assert str(top.fill.fore_color.rgb) == "E69F00"


def test_goal_layout_three_columns_below_two(deck) -> None:
    goal = next(s for s in deck.slides if title_of(s) == "Oppsummering status mål 1")
    boxes = {}
    for shape in goal.shapes:
        if shape.has_text_frame:
            first = shape.text_frame.paragraphs[0].text
            boxes[first] = shape
    main, side = boxes["Overordnet status"], boxes["Utvalgte indikatorer og strategiske delmål"]
    pos, chal, quest = boxes["Positive hendelser"], boxes["Utfordringer"], boxes["Viktige strategiske spørsmål"]
    assert main.left < side.left and abs(main.top - side.top) < Emu(914400 // 4)
    assert pos.left < chal.left < quest.left
    assert pos.top == chal.top == quest.top > main.top
    assert len([s for s in goal.shapes if s.name == "Card"]) == 3


def test_indicator_layout_text_left_chart_right(deck) -> None:
    slide = next(s for s in deck.slides if title_of(s) == "Bruk av velferdsteknologi")
    pic = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    about = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("Om indikatoren"))
    callout = next(s for s in slide.shapes if s.name == "Callout: Foreslått ambisjon")
    assert about.left + about.width <= pic.left
    assert callout.top >= pic.top + pic.height
    assert "100 % innen 2030" in callout.text_frame.text


def test_hyperlinks(deck, report: Report) -> None:
    addresses = {r.hyperlink.address for _, r in runs(deck) if r.hyperlink.address}
    assert LINK_1A in addresses
    assert "https://www.ssb.no" in addresses
    assert not any(a.startswith("javascript") for a in addresses)
    text = deck_text(deck)
    assert "Farlig lenke vises som tekst" in text  # an unsafe link keeps its text, loses its target


def test_contents_jumps_to_slides(deck) -> None:
    contents = deck.slides[1]
    jumps = {}
    for shape in contents.shapes:
        if not shape.has_text_frame:
            continue
        for p in shape.text_frame.paragraphs:
            for r in p.runs:
                link = r._r.find(qn("a:rPr") + "/" + qn("a:hlinkClick"))
                if link is not None:
                    assert link.get("action") == "ppaction://hlinksldjump"
                    target = contents.part.related_part(link.get(qn("r:id")))
                    jumps[r.text] = target
    titles = {id(s.part): title_of(s) for s in deck.slides}
    assert {k: titles[id(v)] for k, v in jumps.items()} == {
        "Siden forrige rapport": "Siden forrige rapport",
        "Oversikt over indikatorene": "Oversikt over indikatorene",
        "Oppsummering status mål 1: Innbyggere": "Oppsummering status mål 1",
        "Metode og kilder": "Metode og kilder",
    }


def test_notes(deck) -> None:
    goal = next(s for s in deck.slides if title_of(s) == "Oppsummering status mål 1")
    notes = goal.notes_slide.notes_text_frame.text
    assert "andelen øker med 8 prosentpoeng" in notes
    assert "Se også Helsenorge." in notes and "**" not in notes
    overview = [s for s in deck.slides if title_of(s).startswith("Oversikt")]
    assert "metodesiden" in overview[0].notes_slide.notes_text_frame.text
    assert not overview[1].has_notes_slide  # continuation slides carry no notes of their own


def test_footer_and_page_numbers(deck) -> None:
    for n, slide in enumerate(deck.slides, 1):
        names = {s.name: s for s in slide.shapes}
        if n == 1:
            assert "Footer" not in names and "Slide Number" not in names
            continue
        assert names["Footer"].text_frame.text == FOOTER
        number = names["Slide Number"]
        assert number.text_frame.text == str(n)
        assert number._element.find(".//" + qn("a:fld")).get("type") == "slidenum"
        assert number.left > names["Footer"].left


def test_pictures_alt_text_and_provenance(deck, report: Report) -> None:
    alts = {c.alt for c in report.charts.values()}
    pictures = 0
    for slide in deck.slides:
        pics = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        for pic in pics:
            pictures += 1
            descr = pic._element.nvPicPr.cNvPr.get("descr")
            assert descr in alts
            provenance = [s for s in slide.shapes if s.name == "Chart provenance"]
            assert provenance and provenance[0].top >= pic.top + pic.height - 1
            assert ILLUSTRATIVE in provenance[0].text_frame.text  # added when the provenance lacks it
    assert pictures == 3


def test_text_is_text_with_readable_sizes(deck) -> None:
    for n, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                assert shape.name.startswith("Chart")  # the only pictures are charts
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            body = shape.text_frame._txBody.bodyPr
            assert body.get("wrap") == "square"
            for p in shape.text_frame.paragraphs:
                for r in p.runs:
                    size = r.font.size.pt
                    if shape.name == "Title":
                        assert 18 <= size <= (40 if n == 1 else 28)
                    elif shape.name not in ("Footer", "Chart provenance", "Table caption"):
                        assert 9 <= size <= 22, (shape.name, r.text, size)


def test_shapes_stay_on_the_slide_and_above_the_footer(deck) -> None:
    for slide in list(deck.slides)[1:]:
        footer = next(s for s in slide.shapes if s.name == "Footer")
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= deck.slide_width
            assert shape.top + shape.height <= deck.slide_height
            if shape.name not in ("Footer", "Slide Number"):
                assert shape.top + shape.height <= footer.top, (title_of(slide), shape.name)


# --- reproducibility ---------------------------------------------------------------------------


def test_byte_identical(deck_bytes: bytes, report: Report, renderer: ChartRenderer) -> None:
    assert render_pptx(report, renderer, source_date_epoch=EPOCH) == deck_bytes
    other = render_pptx(report, renderer, source_date_epoch=EPOCH + 86400)
    assert other != deck_bytes
    assert render_pptx(report, renderer) == render_pptx(report, renderer)


def test_dates_come_from_the_epoch_or_the_report(deck_bytes: bytes, report: Report, renderer: ChartRenderer) -> None:
    prs = Presentation(io.BytesIO(deck_bytes))
    assert prs.core_properties.created == datetime(2026, 1, 29)
    assert prs.core_properties.modified == datetime(2026, 1, 29)
    assert prs.core_properties.last_modified_by == "veikart"
    assert prs.core_properties.revision == 1
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as z:
        infos = z.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(2026, 1, 29, 0, 0, 0)}
    undated = Presentation(io.BytesIO(render_pptx(replace(report, date_text="29.01.2026"), renderer)))
    assert undated.core_properties.created == datetime(2026, 1, 29)
    fallback = Presentation(io.BytesIO(render_pptx(replace(report, date_text="januar"), renderer)))
    assert fallback.core_properties.created == datetime(2000, 1, 1)


# --- template ----------------------------------------------------------------------------------


def test_template(tmp_path: Path, report: Report, renderer: ChartRenderer) -> None:
    tpl = Presentation()  # 4:3, the template's size is kept
    for layout in tpl.slide_layouts:
        if layout.name == "Title Only":
            layout.name = "Bare tittel"
        elif layout.name == "Title Slide":
            layout.name = "Tittellysbilde"
    tpl.slide_masters[0]._element.cSld.set("name", "Organisasjonens mal")
    old = tpl.slides.add_slide(tpl.slide_layouts[0])
    old.shapes.title.text = "A slide of the template"
    path = tmp_path / "org.pptx"
    tpl.save(str(path))

    blob = render_pptx(report, renderer, template=path, source_date_epoch=EPOCH)
    assert blob == render_pptx(report, renderer, template=path, source_date_epoch=EPOCH)
    deck = Presentation(io.BytesIO(blob))
    assert (deck.slide_width, deck.slide_height) == (tpl.slide_width, tpl.slide_height)
    assert len(deck.slide_masters) == 1
    assert deck.slide_masters[0]._element.cSld.get("name") == "Organisasjonens mal"
    assert [lay.name for lay in deck.slide_layouts] == [lay.name for lay in tpl.slide_layouts]
    text = deck_text(deck)
    assert "A slide of the template" not in text
    layouts = [s.slide_layout.name for s in deck.slides]
    assert layouts[0] == "Tittellysbilde"
    assert set(layouts[1:]) == {"Bare tittel"}
    assert all(slide.shapes.title is not None for slide in deck.slides)
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    for s in report.slides:
        assert s.title in titles
    assert deck.slides[0].placeholders[1].text_frame.text.startswith("Januar 2026")
    assert "100 % innen 2030" in text and "I rute (2,5)" in text
    for slide in list(deck.slides)[1:]:  # content sits below the title placeholder
        title = slide.shapes.title
        for shape in slide.shapes:
            if shape.is_placeholder or shape.name.startswith("Status:"):
                continue
            assert shape.top >= title.top + title.height, shape.name
            assert shape.top + shape.height <= deck.slide_height


# --- Markdown-lite and edge cases ----------------------------------------------------------------


def test_markdown_lite() -> None:
    s = spans("Før **fet** og *kursiv* og [lenke](https://example.org/a_(b)) slutt")
    assert [(x.text, x.bold, x.italic, x.link) for x in s] == [
        ("Før ", False, False, None),
        ("fet", True, False, None),
        (" og ", False, False, None),
        ("kursiv", False, True, None),
        (" og ", False, False, None),
        ("lenke", False, False, "https://example.org/a_(b)"),
        (" slutt", False, False, None),
    ]
    assert plain("[x](javascript:alert(1)) [y](file:///etc/passwd) [z](ftp://h/)") == "x y z"
    assert all(x.link is None for x in spans("[x](javascript:alert(1)) [y](file:///etc/passwd)"))
    # CommonMark, as the web page reads it: "2*3*4" italicises the 3, a lone "**" stays
    assert plain(r"5 \* 3 \[a\] \\ 2*3*4 og ** alene") == r"5 * 3 [a] \ 234 og ** alene"
    assert [(x.text, x.italic) for x in spans("2*3*4")] == [("2", False), ("3", True), ("4", False)]
    assert [(x.text, x.italic) for x in spans("_kursiv_ og `**kode**`")] == [("kursiv", True), (" og ", False), ("**kode**", False)]
    assert spans("[**fet lenke**](http://a.no)")[0].bold and spans("[**fet lenke**](http://a.no)")[0].link
    assert spans("[til mål 1](#goal-1)")[0].jump == "goal-1"
    assert [(x.text, x.link) for x in spans("Se https://a.no/b.")] == [("Se ", None), ("https://a.no/b", "https://a.no/b"), (".", None)]
    assert plain("Kilde: ") == "Kilde: " and plain("a\n\nb") == "a\n\nb"  # the deck keeps its spaces and gaps
    assert safe_url("https://a.no/x?y=1") and not safe_url("https://a.no/x y") and not safe_url("http:///x")


class _Runs(HTMLParser):
    """An inline HTML fragment as (text, bold, italic, href) runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[tuple[str, bool, bool, str | None]] = []
        self.open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_data("\n")
        else:
            self.open.append((tag, dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1][0] == tag
        self.open.pop()

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.open]
        href = next((h for t, h in reversed(self.open) if t == "a"), None)
        self.runs.append((data, "strong" in tags, "em" in tags, href))


def _merged(runs: Iterable[tuple[str, bool, bool, str | None]]) -> list[tuple[str, bool, bool, str | None]]:
    out: list[tuple[str, bool, bool, str | None]] = []
    for text, bold, italic, href in runs:
        if out and out[-1][1:] == (bold, italic, href):
            out[-1] = (out[-1][0] + text, bold, italic, href)
        elif text:
            out.append((text, bold, italic, href))
    return out


@pytest.mark.parametrize(
    "text",
    [
        "2*3*4 og 2 * 3 * 4",
        "**fet** *kursiv* _kursiv_ __fet__ ***begge***",
        "**fet med *kursiv* inni** og *kursiv med **fet** inni*",
        "snake_case_navn og **uavsluttet og *halv",
        r"\*ikke kursiv\* \*\*ikke fet\*\* \[ikke lenke\](https://a.no) \\ \`",
        "`**kode**` og ``a ` b``",
        "[trygg](https://a.no/x_(y)) [e-post](mailto:post@helsedir.no) [hopp](#goal-1)",
        "[farlig](javascript:alert(1)) [data](data:text/html,hei) [relativ](/sti) [ftp](ftp://h/)",
        "[**fet lenke**](https://a.no) og *[kursiv lenke](http://b.no)*",
        "Se https://www.ssb.no/statbank/table/12345. Og <https://a.no/auto> og <javascript:alert(1)>",
        "linje 1\nlinje 2  \nlinje 3",
        "a <b>b</b> & c &amp; d",
    ],
)
def test_deck_and_html_read_markup_alike(text: str) -> None:
    html = _Runs()
    html.feed(str(inline_markdown(text)).replace("<br>\n", "<br>"))  # that newline is HTML layout
    html.close()
    deck = [(s.text, s.bold, s.italic, s.link or (f"#{s.jump}" if s.jump else None)) for s in spans(text)]
    assert _merged(deck) == _merged(html.runs)
    assert plain(text) == "".join(r[0] for r in html.runs)


def test_missing_chart_is_an_error(report: Report, renderer: ChartRenderer) -> None:
    broken = replace(report, charts={})
    with pytest.raises(ValueError, match="chart-velferdsteknologi"):
        render_pptx(broken, renderer)


def test_overfull_slide_shrinks_and_warns(renderer: ChartRenderer, caplog: pytest.LogCaptureFixture) -> None:
    items = tuple("Et svært langt punkt om digital samhandling mellom kommuner og sykehus " * 3 for _ in range(40))
    report = Report(
        "Tittel",
        "Undertittel",
        "01.02.2026",
        "2026-02",
        "nb",
        (Slide("goal-9", "goal", "Mål 9", (Section("Status", (Bullets(items),), "main"), Section("Mer", (Bullets(items),), "full"))),),
    )
    with caplog.at_level(logging.WARNING, logger="veikart.report.pptx"):
        deck = Presentation(io.BytesIO(render_pptx(report, renderer)))
    assert "does not fit" in caplog.text
    scaled = [
        s for s in deck.slides[0].shapes if s.has_text_frame and s.text_frame._txBody.bodyPr.find(qn("a:normAutofit")) is not None
    ]
    assert any(s.text_frame._txBody.bodyPr.find(qn("a:normAutofit")).get("fontScale") for s in scaled)
    for shape in deck.slides[0].shapes:
        assert shape.top + shape.height <= deck.slide_height


def test_english_continuation_label(renderer: ChartRenderer) -> None:
    report = Report(
        "Title", "Sub", "2026-02-01", "2026-02", "en",
        (Slide("x", "method", "Method", (Section(None, (Bullets(LONG_BULLETS * 2),)),)),),
    )  # fmt: skip
    deck = Presentation(io.BytesIO(render_pptx(report, renderer)))
    titles = [title_of(s) for s in deck.slides]
    assert titles[0] == "Method" and titles[1] == f"Method ({renderer_words('en')['continued']})" == "Method (continued)"
    assert deck.core_properties.created == datetime(2026, 2, 1)


def test_badge_block_kept_in_table_without_badges(renderer: ChartRenderer) -> None:
    slide = Slide("g", "goal", "Mål", (Section("Status", (GREEN,), "main"),))
    deck = Presentation(io.BytesIO(render_pptx(Report("T", "S", "", "", "nb", (slide,)), renderer)))
    assert any(s.name == "Status: I rute" and s.text_frame.text == "I rute (2,5)" for s in deck.slides[0].shapes)


# --- optional: LibreOffice opens the deck ------------------------------------------------------



# --- the package: part names as python-pptx gives them, images stored once and not deflated -----


def _png(colour: int) -> bytes:
    import struct as _struct
    import zlib as _zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return _struct.pack(">I", len(data)) + kind + data + _struct.pack(">I", _zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([colour, 0, 0]) * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", _struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", _zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _small_deck(fast: bool) -> list[str]:
    """Six slides with notes and pictures (two of them the same image), built by python-pptx
    alone or with the renderer's part-name index; the part names that result."""
    from veikart.report.pptx import _PartNames

    prs = Presentation()
    names = _PartNames(prs.part.package) if fast else None
    for i in range(6):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        if names is not None:
            names.add(str(slide.part.partname))
        slide.shapes.add_picture(io.BytesIO(_png(i % 4)), 0, 0)
        slide.notes_slide.notes_text_frame.text = f"note {i}"
    return sorted(str(p.partname) for p in prs.part.package.iter_parts())


def test_the_part_name_index_gives_python_pptxs_own_names() -> None:
    """The index that spares python-pptx's walks over the whole package names parts exactly as
    python-pptx does, and stores an image shown twice once."""
    fast = _small_deck(fast=True)
    assert fast == _small_deck(fast=False)
    assert sum(n.startswith("/ppt/media/image") for n in fast) == 4  # six pictures, four images
    assert sum(n.startswith("/ppt/notesSlides/") for n in fast) == 6


def test_images_are_stored_and_the_xml_deflated(deck_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as zf:
        kinds = {info.filename: info.compress_type for info in zf.infolist()}
    assert any(n.endswith(".png") for n in kinds)
    for name, kind in kinds.items():
        expected = zipfile.ZIP_STORED if name.endswith((".png", ".jpeg")) else zipfile.ZIP_DEFLATED
        assert kind == expected, name


def test_a_template_without_a_slide_size_gets_the_builtin_size(
    tmp_path: Path, report: Report, renderer: ChartRenderer
) -> None:
    # <p:sldSz> is optional in presentation.xml: int(None) raised a TypeError in the layout
    tpl = Presentation()
    tpl.part._element.remove(tpl.part._element.find(qn("p:sldSz")))
    assert tpl.slide_width is None
    path = tmp_path / "no-size.pptx"
    tpl.save(str(path))
    deck = Presentation(io.BytesIO(render_pptx(report, renderer, template=path, source_date_epoch=EPOCH)))
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))
    assert len(deck.slides) >= len(report.slides)  # every slide laid out (long ones on more)
