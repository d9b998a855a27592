"""The static site: every page, API file and download written, every internal link resolves,
nothing unpublished, and a rebuild rewrites only what changed."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.web.conftest import DRAFT_ID, DRAFT_TEXT, SECRET_FORMS, SECRET_NOTE, default_data, load_default
from veikart.store.store import Store
from veikart.web.site import MANIFEST, build_site

_LINK = re.compile(r'\s(?:href|src)="([^"]+)"')


@pytest.fixture(scope="module")
def site(web_db: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("site") / "public"
    return out, build_site(web_db, out)


def internal_links(root: Path) -> list[tuple[Path, str]]:
    out = []
    for page in root.rglob("*.html"):
        for href in _LINK.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
                continue
            out.append((page, href))
    return out


def test_every_internal_link_resolves_to_a_file(site):
    root, _summary = site
    links = internal_links(root)
    assert len(links) > 500
    missing = []
    for page, href in links:
        parts = urlsplit(href)
        assert not href.startswith("/"), f"{page}: {href} is not relative"
        assert not parts.query, f"{page}: {href} has a query (a static site cannot answer it)"
        target = (page.parent / unquote(parts.path)).resolve()
        if not target.is_file():
            missing.append((str(page.relative_to(root)), href))
    assert missing == []


def test_the_site_has_every_page_api_file_and_download(site):
    root, summary = site
    for rel in ["index.html", "en/index.html", "mal/1/index.html", "en/mal/5/index.html",
                "indikator/pll-nasjonalt/index.html", "en/indikator/pll-nasjonalt/index.html",
                "status/index.html", "siden-forrige-rapport/index.html", "metode/index.html",
                "tilgjengelighetserklaering/index.html", "sok/index.html",
                "indikator/pll-nasjonalt/data.csv", "indikator/pll-nasjonalt/data.json",
                "indikator/pll-nasjonalt/data.jsonstat.json", "indikator/pll-nasjonalt/chart.svg",
                "indikator/pll-nasjonalt/chart.png", "api/v1/framework.json", "api/v1/goals/1.json",
                "api/v1/indicators/pll-nasjonalt.json", "api/v1/indicators/pll-nasjonalt.csv",
                "api/v1/progress.json", "api/v1/periods.json", "api/v1/vintages.json",
                "static/ds/designsystemet.css", "static/vega-embed.js"]:
        assert (root / rel).is_file(), rel
    assert '<html lang="en"' in (root / "en/mal/1/index.html").read_text(encoding="utf-8")
    assert summary.written == summary.files and summary.unchanged == 0


def test_the_static_pages_are_the_servers_pages(site, client):
    root, _summary = site
    served = client.get("/mal/1/").text
    static = (root / "mal/1/index.html").read_text(encoding="utf-8")
    text = lambda html: re.sub(r"<[^>]+>", " ", html.split('id="main"')[1].split("</main>")[0]).split()
    assert text(static) == text(served)


def test_nothing_suppressed_or_draft_is_in_any_file(site):
    root, _summary = site
    for path in root.rglob("*"):
        if path.is_file() and path.suffix != ".png" and path.name != MANIFEST and "static" not in path.parts:
            body = path.read_text(encoding="utf-8")
            found = [s for s in (*SECRET_FORMS, SECRET_NOTE, DRAFT_TEXT, DRAFT_ID) if s in body]
            assert found == [], path


def test_a_rebuild_rewrites_only_what_changed(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    load_default(url, with_secrets=False)
    out = tmp_path / "site"
    first = build_site(url, out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build_site(url, out)
    assert again.written == 0 and again.unchanged == first.files == again.files
    assert all(p.stat().st_mtime_ns == t for p, t in mtimes.items() if p.name != MANIFEST)
    data = default_data(with_secrets=False)
    t = data.observations["helsedata-utleveringstid"]
    t.values[-1] = t.values[-1] + 1  # one figure of one indicator revised
    store = Store(url)
    store.import_data(data, actor="test")
    store.close()
    changed = build_site(url, out)
    assert first.kept_groups == 0 and again.kept_groups == 3 * len(data.indicators)
    assert changed.kept_groups == again.kept_groups - 3  # nb, en and api files of that one indicator
    assert 0 < changed.written < first.files / 4
    assert "indikator/helsedata-utleveringstid/data.csv" in changed.written_paths
    assert "indikator/velferdsteknologi/data.csv" not in changed.written_paths
    fresh = build_site(url, tmp_path / "fresh")
    files = lambda root: {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
                          if p.is_file() and p.name != MANIFEST}
    assert fresh.files == changed.files and files(out) == files(tmp_path / "fresh")  # incremental = from scratch
    (out / "stale.html").write_text("x")
    manifest = (out / MANIFEST).read_text()
    (out / MANIFEST).write_text(manifest.replace('"files": {', '"files": {"stale.html": ["x", 1],'))
    assert build_site(url, out).removed == 1 and not (out / "stale.html").exists()


def test_veikart_site_build_writes_the_site_and_reports_a_bad_store(tmp_path):
    from typer.testing import CliRunner

    from veikart.cli import app

    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    load_default(url, with_secrets=False)
    result = runner.invoke(app, ["--lang", "en", "--db", url, "site", "build", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "index.html").is_file() and "written" in result.stdout
    again = runner.invoke(app, ["--lang", "en", "--db", url, "site", "build", str(tmp_path / "out")])
    assert again.exit_code == 0 and " 0 written" in again.stdout
    empty = tmp_path / "empty.db"
    result = runner.invoke(app, ["--lang", "en", "--db", str(empty), "site", "build", str(tmp_path / "out2")])
    assert result.exit_code == 1
    assert "veikart init" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert not empty.exists() and not (tmp_path / "out2").exists()


def test_veikart_serve_refuses_a_missing_store_and_bad_options_before_announcing(tmp_path):
    from typer.testing import CliRunner

    from veikart.cli import app

    runner = CliRunner()
    missing = tmp_path / "none.db"
    result = runner.invoke(app, ["--lang", "en", "--db", str(missing), "serve"])
    assert result.exit_code == 1 and "veikart init" in result.stderr
    assert "http://" not in result.stderr and not missing.exists()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    load_default(url, with_secrets=False)
    result = runner.invoke(app, ["--lang", "en", "--db", url, "serve", "--workers", "0"])
    assert result.exit_code == 1 and "--workers must be 1 or more" in result.stderr and "http://" not in result.stderr
