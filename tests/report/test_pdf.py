"""The PDF report: every slide on 16:9 pages, text intact, nothing blank, the same bytes for the
same input. Needs poppler-utils (pdftotext, pdftoppm): outside CI a missing poppler skips these
tests with a message saying so; in CI (CI=true) it fails them."""

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
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.report._html_sample import ILLUSTRATIVE_NOTICE, LONG_TABLE_ROWS, sample_report
from veikart.report.document import Report
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


def test_same_bytes_in_another_process(pdf: bytes) -> None:
    """Nothing depends on the process: hash seed, time, addresses."""
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
    )
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, cwd=ROOT, env=env, timeout=300
    )
    assert out.stdout.decode() == hashlib.sha256(pdf).hexdigest()


def test_without_epoch_no_dates(report: Report, charts: ChartRenderer) -> None:
    meta = PdfReader(io.BytesIO(render_pdf(report, charts))).metadata
    assert meta is None or "/CreationDate" not in meta


def test_weasyprint_has_nothing_to_warn_about(
    report: Report, charts: ChartRenderer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(report, charts, source_date_epoch=EPOCH)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_print_html_is_static_and_lean(report: Report, charts: ChartRenderer) -> None:
    page = pdf_html(report, charts, source_date_epoch=EPOCH)
    assert "<script" not in page
    assert '<meta name="dcterms.created" content="2026-01-29T00:00:00Z">' in page
    assert page.count('src="data:image/svg+xml;base64,') == 2  # charts as SVG images, with alt text
    assert 'alt="Søylediagram: andelen kommuner' in page
    assert "<details" not in page and 'class="toc"' not in page  # what print hides is left out
    assert "position: sticky" not in page  # screen.css stays out
