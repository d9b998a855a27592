"""The PDF report: every slide on 16:9 pages, text intact, nothing blank, the same bytes for the
same input (from a cold or a warm slide cache, with one worker or two), page numbers and the
contents right after the slides are merged, and only changed slides laid out again. Needs
poppler-utils (pdftotext, pdftoppm): outside CI a missing poppler skips these tests with a
message saying so; in CI (CI=true) it fails them."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.report._html_sample import ILLUSTRATIVE_NOTICE, LONG_TABLE_ROWS, sample_report
from veikart.report import pdf as pdf_module
from veikart.report.document import Bullets, Paragraph, Report, Section, Slide, TableBlock
from veikart.report.pdf import pdf_html, render_pdf
from veikart.views.render import ChartRenderer

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
EPOCH = 1769644800  # 2026-01-29T00:00:00Z
ROOT = Path(__file__).resolve().parents[2]


def require_poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} not found (Debian package poppler-utils)"
        if IN_CI:
            pytest.fail(message + " (CI=true: the PDF tests may not be skipped)")
        pytest.skip(message + "; skipped outside CI")


@pytest.fixture(scope="module", autouse=True)
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The default slide cache (the user cache directory) in a temporary folder, here and in
    the processes the tests start."""
    path = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(path))
        yield path


@pytest.fixture(scope="module")
def charts() -> ChartRenderer:
    return ChartRenderer(cache_dir=False)


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def pdf(report: Report, charts: ChartRenderer) -> bytes:
    return render_pdf(report, charts, source_date_epoch=EPOCH)


@pytest.fixture(scope="module")
def pdf_file(pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(pdf)
    return path


def _text(path: Path, page: int | None = None) -> str:
    require_poppler()
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", out)


def test_every_slide_title_and_key_text(pdf_file: Path, report: Report) -> None:
    text = _text(pdf_file)
    for slide in report.slides:
        assert slide.title in text, slide.title
    for key in (
        ILLUSTRATIVE_NOTICE,
        "Foreslått ambisjon",
        "100 % innen 2030",
        "Viktige strategiske spørsmål",
        "Innbyggers rettigheter styrkes som en konsekvens av EHDS",
        f"Kommune nr. {LONG_TABLE_ROWS:02d} – Ålesund/Bodø/Tromsø",  # the long table's last row: not cut off
        "Før <script>alert(1)</script> og <b>fet</b>",  # shown as text
        "Kilde: SSB/KPR",
    ):
        assert key in text, key
    assert "Notater" not in text  # speaker notes stay out of the printed deck


def test_pages_are_16_9_and_at_least_one_per_slide(pdf: bytes, report: Report) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= len(report.slides)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width / height == pytest.approx(16 / 9, rel=1e-3)
        assert width == pytest.approx(13.333 * 72, abs=1.0)  # 13.333 × 7.5 in, as PowerPoint's 16:9
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    meta = reader.metadata
    assert meta is not None and meta.title is not None and meta.title.startswith(report.title)
    assert meta["/CreationDate"].startswith("D:20260129000000")
    assert meta["/ModDate"] == meta["/CreationDate"]
    assert reader.outline  # bookmarks from the slide titles


def test_page_footer_has_date_and_page_number(pdf_file: Path, pdf: bytes, report: Report) -> None:
    n = len(PdfReader(io.BytesIO(pdf)).pages)
    assert report.footer not in _text(pdf_file, 1)  # the title page has no footer
    for page in range(2, n + 1):
        assert _text(pdf_file, page).strip().endswith(f"{report.footer} {page}"), page


def test_a_slide_that_runs_over_repeats_its_title(pdf_file: Path, pdf: bytes, report: Report) -> None:
    n = len(PdfReader(io.BytesIO(pdf)).pages)
    starts = [p for p in range(1, n + 1) if _text(pdf_file, p).strip().startswith("Ferskhet i dataene")]
    assert len(starts) == 2  # the long table takes two pages
    assert _text(pdf_file, starts[1]).strip().startswith("Ferskhet i dataene (forts.)")
    assert "(forts.)" not in _text(pdf_file, starts[0])


def _pgm_pixels(data: bytes) -> list[int]:
    """Pixels of a binary PGM (P5) image, 8 bits a sample."""
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    assert magic == b"P5" and maxval < 256
    pos += 1  # the single whitespace after maxval
    return list(data[pos : pos + width * height])


def test_no_page_is_blank(pdf_file: Path, tmp_path: Path, pdf: bytes) -> None:
    require_poppler()
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf_file), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    for path in pages:
        pixels = _pgm_pixels(path.read_bytes())
        mean = sum(pixels) / len(pixels)
        variance = sum((p - mean) ** 2 for p in pixels) / len(pixels)
        assert variance > 1.0, f"{path.name} looks blank"


def test_same_input_same_bytes(pdf: bytes, report: Report, charts: ChartRenderer) -> None:
    assert render_pdf(report, charts, source_date_epoch=EPOCH) == pdf
    other = render_pdf(report, charts, source_date_epoch=EPOCH + 86400)
    assert other != pdf
    assert b"D:20260130000000" in other or "20260130" in str(PdfReader(io.BytesIO(other)).metadata)


def test_same_bytes_in_another_process(pdf: bytes, tmp_path: Path) -> None:
    """Nothing depends on the process: hash seed, time, addresses (and there the slide cache
    starts empty: every slide is laid out again, in a pool of its own)."""
    script = textwrap.dedent(
        f"""
        import hashlib, sys
        from tests.report._html_sample import sample_report
        from veikart.report.pdf import render_pdf
        from veikart.views.render import ChartRenderer
        data = render_pdf(sample_report(), ChartRenderer(cache_dir=False), source_date_epoch={EPOCH})
        sys.stdout.write(hashlib.sha256(data).hexdigest())
        """
    )
    env = dict(
        os.environ,
        PYTHONHASHSEED="12345",
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        XDG_CACHE_HOME=str(tmp_path),
    )
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, cwd=ROOT, env=env, timeout=300
    )
    assert out.stdout.decode() == hashlib.sha256(pdf).hexdigest()


def test_without_epoch_no_dates(report: Report, charts: ChartRenderer) -> None:
    meta = PdfReader(io.BytesIO(render_pdf(report, charts))).metadata
    assert meta is None or "/CreationDate" not in meta


def test_weasyprint_has_nothing_to_warn_about(
    report: Report, charts: ChartRenderer, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path, workers=2)
    assert len(pdf_module.last_stats.rendered) == len(report.slides) + 1  # every slide and the footer
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_print_html_is_static_and_lean(report: Report, charts: ChartRenderer) -> None:
    page = pdf_html(report, charts, source_date_epoch=EPOCH)
    assert "<script" not in page
    assert '<meta name="dcterms.created" content="2026-01-29T00:00:00Z">' in page
    assert page.count('src="data:image/svg+xml;base64,') == 2  # charts as SVG images, with alt text
    assert 'alt="Søylediagram: andelen kommuner' in page
    assert "<details" not in page and 'class="toc"' not in page  # what print hides is left out
    assert "position: sticky" not in page  # screen.css stays out


# --- slide by slide: page numbers, contents, cache, workers -----------------------------------

PAGE_W, PAGE_H = 960, 540  # points (13.333 × 7.5 in)


def _strip(path: Path, page: int, x: int, width: int) -> str:
    """Text in the bottom margin (the page footer) between x and x + width points."""
    require_poppler()
    args = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page)]
    args += ["-x", str(x), "-y", str(PAGE_H - 38), "-W", str(width), "-H", "38"]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", out).strip()


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _first_pages(path: Path, data: bytes, report: Report) -> dict[str, int]:
    """Each slide's first page, found by its title at the top of a page (not continued)."""
    out: dict[str, int] = {}
    texts = {p: _text(path, p).strip() for p in range(1, _pages(data) + 1)}
    for slide in report.slides:
        for page, text in texts.items():
            if text.startswith(slide.title) and not text.startswith(slide.title + " (forts.)"):
                out.setdefault(slide.id, page)
                break
    assert set(out) == {s.id for s in report.slides}
    return out


def _contents_numbers(path: Path, page: int) -> list[int]:
    """The page numbers at the ends of the contents' lines (after the dot leaders)."""
    require_poppler()
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    return [int(m.group(1)) for m in re.finditer(r"(?:\. ?){3,}\s*(\d+)\s*$", out, re.MULTILINE)]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_footer_is_stamped_in_the_bottom_margin_of_every_page_but_the_title(
    pdf_file: Path, pdf: bytes, report: Report
) -> None:
    n = _pages(pdf)
    assert _strip(pdf_file, 1, 0, PAGE_W) == ""  # the title page: no footer
    for page in range(2, n + 1):
        assert _strip(pdf_file, page, 0, PAGE_W // 2) == report.footer, page
        assert _strip(pdf_file, page, PAGE_W // 2, PAGE_W // 2) == str(page), page


def test_contents_shows_the_page_each_slide_starts_on(pdf_file: Path, pdf: bytes, report: Report) -> None:
    first = _first_pages(pdf_file, pdf, report)
    listed = ["since-last", "overview", "goal-1", "method"]  # what the sample's contents links to
    assert _contents_numbers(pdf_file, first["contents"]) == [first[i] for i in listed]
    assert first["goal-1"] == first["freshness"] + 2  # the long table takes two pages


def test_contents_links_and_bookmarks_point_at_the_slides(pdf_file: Path, pdf: bytes, report: Report) -> None:
    first = _first_pages(pdf_file, pdf, report)
    reader = PdfReader(io.BytesIO(pdf))
    dests = reader.named_destinations
    for slide in report.slides:  # every id is a named destination, on its page
        assert reader.get_destination_page_number(dests[slide.id]) + 1 == first[slide.id], slide.id
    contents = reader.pages[first["contents"] - 1]
    targets = [a.get_object()["/Dest"] for a in contents["/Annots"] if "/Dest" in a.get_object()]
    assert {str(t) for t in targets} == {"since-last", "overview", "goal-1", "method"}
    outline = [(str(item.title), reader.get_destination_page_number(item) + 1) for item in reader.outline]
    assert outline == [(s.title, first[s.id]) for s in report.slides]


def test_cold_and_warm_cache_give_the_same_bytes(
    report: Report, charts: ChartRenderer, tmp_path: Path, pdf: bytes
) -> None:
    cold = render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path)
    assert sorted(pdf_module.last_stats.rendered) == sorted([s.id for s in report.slides] + ["(footer 1-32)"])
    warm = render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path)
    assert pdf_module.last_stats.rendered == []
    assert pdf_module.last_stats.cached == len(report.slides) + 1
    assert cold == warm == pdf
    # a damaged cache file (cut short, or a byte changed) is laid out again, to the same bytes
    first, second = sorted(tmp_path.rglob("*.part"))[:2]
    first.write_bytes(first.read_bytes()[:-200])
    blob = bytearray(second.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    second.write_bytes(bytes(blob))
    assert render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path) == pdf
    assert len(pdf_module.last_stats.rendered) == 2


def test_one_or_two_workers_give_the_same_bytes(
    report: Report, charts: ChartRenderer, tmp_path: Path, pdf: bytes
) -> None:
    one = render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path / "one", workers=1)
    assert pdf_module.last_stats.workers == 1
    two = render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path / "two", workers=2)
    assert pdf_module.last_stats.workers == 2
    assert one == two == pdf


def _replace_slide(report: Report, slide_id: str, **changes: object) -> Report:
    slides = tuple(
        replace(s, **changes) if s.id == slide_id else s  # type: ignore[arg-type]
        for s in report.slides
    )
    return replace(report, slides=slides)


def test_a_changed_slide_is_the_only_one_laid_out_again(
    report: Report, charts: ChartRenderer, tmp_path: Path
) -> None:
    render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path)
    files = set(tmp_path.rglob("*.part"))
    changed = _replace_slide(
        report,
        "since-last",
        sections=(Section(None, (Paragraph("Sammenlignet med desember 2025: **4** nye."),)),),
    )
    data = render_pdf(changed, charts, source_date_epoch=EPOCH, cache_dir=tmp_path)
    assert pdf_module.last_stats.rendered == ["since-last"]
    assert len(set(tmp_path.rglob("*.part")) - files) == 1
    path = _write(tmp_path, "changed.pdf", data)
    assert "desember 2025: 4 nye." in _text(path)


def test_a_slide_that_grows_moves_the_page_numbers_after_it(
    report: Report, charts: ChartRenderer, tmp_path: Path
) -> None:
    render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path)
    rows = tuple((f"Rad {i}", f"{i} %") for i in range(60))
    longer = _replace_slide(
        report, "overview", sections=(Section(None, (TableBlock(("Indikator", "Verdi"), rows),)),)
    )
    data = render_pdf(longer, charts, source_date_epoch=EPOCH, cache_dir=tmp_path)
    # the slide itself and the contents (its numbers moved); the footers come 32 pages a part
    assert sorted(pdf_module.last_stats.rendered) == ["contents", "overview"]
    path = _write(tmp_path, "longer.pdf", data)
    first = _first_pages(path, data, longer)
    assert first["goal-1"] - first["overview"] >= 4  # overview 2+ pages, freshness 2
    assert _contents_numbers(path, first["contents"]) == [
        first[i] for i in ("since-last", "overview", "goal-1", "method")
    ]
    n = _pages(data)
    assert _strip(path, n, PAGE_W // 2, PAGE_W // 2) == str(n)


def test_a_report_without_title_slide_has_its_head_and_footer_on_page_one(
    charts: ChartRenderer, tmp_path: Path
) -> None:
    report = Report(
        title="Rapport uten forside",
        subtitle="",
        date_text="01.02.2026",
        period_id="",
        lang="nb",
        slides=(Slide("a", "statistic", "Alfa", (Section("S", (Bullets(("x",)),)),)),),
        footer="Bunntekst",
    )
    data = render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=tmp_path)
    path = _write(tmp_path, "head.pdf", data)
    assert _pages(data) == 2
    assert _text(path, 1).strip().startswith("Rapport uten forside")
    assert _strip(path, 1, 0, PAGE_W) == "Bunntekst 1"
    assert _text(path, 2).strip().startswith("Alfa")
    assert _strip(path, 2, 0, PAGE_W) == "Bunntekst 2"


def test_warnings_in_a_worker_are_logged_here(
    report: Report, charts: ChartRenderer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = _replace_slide(
        report, "method", sections=(Section(None, (Paragraph("Se [ingensteds](#ingensteds)."),)),)
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(broken, charts, source_date_epoch=EPOCH, cache_dir=tmp_path, workers=2)
    assert pdf_module.last_stats.workers == 2
    assert any("ingensteds" in r.getMessage() for r in caplog.records if r.name.startswith("weasyprint"))


def test_print_parts_are_lean_and_charts_can_be_png(report: Report, charts: ChartRenderer) -> None:
    from veikart.report.html import build_print_parts

    doc = build_print_parts(report, charts)
    assert doc.names == tuple(s.id for s in report.slides) and doc.first_is_title
    assert all(
        "<style" not in p and "veikart.framework" not in p for p in doc.parts
    )  # in the key: only what shows
    assert "attr(data-page)" in doc.css and "size: 338.67mm 190.5mm" in doc.css
    assert "".join(doc.parts).count('src="data:image/svg+xml;base64,') == 2
    png = "".join(build_print_parts(report, charts, image_format="png").parts)
    assert png.count('src="data:image/png;base64,') == 2 and "image/svg+xml" not in png
    assert (
        len(re.findall(r'style="width:\d+(?:\.\d+)?px;height:\d+(?:\.\d+)?px"', png)) == 2
    )  # as large as the SVG


# --- charts drawn from their own PDFs --------------------------------------------------------


def test_charts_are_drawn_in_their_places_as_vector_forms(pdf: bytes, pdf_file: Path, report: Report) -> None:
    """The slide is laid out around an empty place of the chart's size; the merge draws the
    chart's own PDF there: a form XObject of the chart's size, scaled into the place, inside
    the page, its text real text."""
    reader = PdfReader(io.BytesIO(pdf))
    drawn = []
    for number, page in enumerate(reader.pages):
        xobjects = page["/Resources"]["/XObject"]
        for name in xobjects:
            if name.startswith("/VkC"):
                drawn.append((number, xobjects[name].get_object()))
    assert len(drawn) == 2  # the two charts of the sample report
    for number, form in drawn:
        assert form["/Subtype"] == "/Form"
        x0, y0, x1, y1 = (float(v) for v in form["/BBox"])
        assert (x1 - x0, y1 - y0) == (pytest.approx(370, abs=60), pytest.approx(230, abs=60))
        content = reader.pages[number].get_contents().get_data()
        m = re.search(rb"q ([-\d. ]+) cm /VkC\d+ Do Q", content)
        assert m is not None
        sx, _b, _c, sy, tx, ty = (float(v) for v in m.group(1).split())
        width, height = (float(v) for v in reader.pages[number].mediabox[2:])
        assert 0 < sx <= 1.5 and sx == pytest.approx(sy, rel=1e-3)  # the chart keeps its aspect
        assert 0 <= tx and tx + sx * (x1 - x0) <= width and 0 <= ty and ty + sy * (y1 - y0) <= height
    text = _text(pdf_file)
    assert "Kommuner med velferdsteknologi (%)" in text and "Andel (%)" in text  # the chart's own words


def _chart_pdf() -> bytes:
    from tests.report._html_sample import bar_spec
    from veikart.views.render import engine

    vlc = engine()
    return vlc.svg_to_pdf(vlc.vegalite_to_svg(bar_spec()))


def _copied(chart: bytes) -> bytes:
    writer = pdf_module._Writer()
    forms = pdf_module._ChartForms(writer, {"c": chart})
    form, _box = forms.form("c")
    root = writer.add(b"<</Type /Catalog>>")
    return writer.write(root, writer.add(b"<<>>"), b"0" * 16)


def test_a_charts_pdf_is_copied_the_same_whatever_order_svg2pdf_wrote_it_in() -> None:
    """svg2pdf writes a page's resources (and its objects) in an order that changes from run to
    run; the report's bytes must not."""
    chart = _chart_pdf()
    fonts = re.search(rb"/Font <<\s*(/fo\d \d+ 0 R)(\s*)(/fo\d \d+ 0 R)", chart)  # either order
    assert fonts is not None, "the chart's PDF has two fonts, as the test expects"
    start, end = fonts.span(1)[0], fonts.span(3)[1]
    swapped = chart[:start] + fonts.group(3) + fonts.group(2) + fonts.group(1) + chart[end:]
    assert len(swapped) == len(chart) and swapped != chart  # the same offsets, another order
    assert _copied(swapped) == _copied(chart)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # cut short
        lambda b: b.replace(b"startxref", b"startxerf"),
        lambda b: re.sub(rb"/Contents \d+ 0 R", b"/Contents [1 0 R]", b, count=1),
        lambda b: b.replace(b"/Length ", b"/Lnegth ", 1),
    ],
)
def test_a_chart_pdf_it_cannot_read_is_an_error_not_a_wrong_page(damage) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(pdf_module._PartError):
        _copied(damage(_chart_pdf()))


def test_warm_up_for_a_report_starts_workers_only_for_slides_not_in_the_cache(
    pdf: bytes, report: Report, charts: ChartRenderer, tmp_path: Path
) -> None:
    """A rebuild whose slides are all in the cache starts no layout worker (nor imports
    WeasyPrint); a cold one starts them ahead, and render_pdf takes them and the parts made
    ahead. The bytes are the same either way."""
    from veikart.report import pdf as pdf_module

    warm = tmp_path / "warm"
    assert render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=warm) == pdf
    pdf_module.warm_up(workers=2, report=report, charts=charts, cache_dir=warm)
    assert not pdf_module._WARM and pdf_module._AHEAD_PARTS["report"] is report
    assert render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=warm) == pdf
    assert not pdf_module._AHEAD_PARTS and pdf_module.last_stats.rendered == []
    cold = tmp_path / "cold"
    pdf_module.warm_up(workers=2, report=report, charts=charts, cache_dir=cold)
    assert pdf_module._WARM["workers"] == 2
    assert render_pdf(report, charts, source_date_epoch=EPOCH, cache_dir=cold) == pdf
    assert not pdf_module._WARM and pdf_module.last_stats.workers == 2


def test_a_slide_whose_chart_is_not_drawn_yet_counts_as_one_to_lay_out(
    pdf: bytes, report: Report, tmp_path: Path
) -> None:
    """warm_up runs while the chart workers draw: a chart not drawn yet is never drawn by it
    (a stand-in takes its place), and the parts made so are not kept for render_pdf."""
    from veikart.report import pdf as pdf_module

    warm = tmp_path / "warm"
    drawn = ChartRenderer(cache_dir=False)
    render_pdf(report, drawn, source_date_epoch=EPOCH, cache_dir=warm)
    fresh = ChartRenderer(cache_dir=False)  # nothing drawn
    pdf_module.warm_up(workers=2, report=report, charts=fresh, cache_dir=warm)
    try:
        assert fresh.rendered == 0 and "report" not in pdf_module._AHEAD_PARTS
        assert pdf_module._WARM.get("workers", 0) == (2 if len(report.charts) >= pdf_module._IN_PROCESS_MAX else 0)
    finally:
        pdf_module.cool_down()
