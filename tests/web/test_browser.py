"""The dashboard in a real browser (Playwright for Python driving Debian's Chromium) against the
app served by uvicorn on a loopback port: the reader's path from the front page to a CSV, the
language switch, a keyboard-only walk, and axe-core's WCAG 2.1 A/AA rules on every page type in
both languages (on the server and in the static site)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_executable
from tests.web.conftest import load_default

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
PAGE_TYPES = ["/", "/mal/2/", "/indikator/pll-nasjonalt/", "/indikator/innbyggerundersokelsen-digitale-tjenester/",
              "/status/", "/siden-forrige-rapport/", "/metode/", "/tilgjengelighetserklaering/", "/sok/?q=helse"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_executable("chromium", package="chromium")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'store.db'}"
    load_default(url)
    port = _free_port()
    code = f"from veikart.web.server import serve; serve({url!r}, host='127.0.0.1', port={port}, log_level='warning')"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                pytest.fail("the server ended before it answered")
            time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within 30 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(chromium: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run scripts/setup.sh (npm ci installs axe-core)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    assert len(result["passes"]) >= 10, "axe-core checked (almost) nothing"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_reader_goes_from_the_front_page_to_a_filtered_csv(server, page):
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "nb"
    page.get_by_role("link", name="Mål 2: Enklere arbeidshverdag").click()
    assert page.url.endswith("/mal/2/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Mål 2")
    page.locator("main").get_by_role("link", name="Pasientens legemiddelliste – nasjonalt").first.click()
    assert "/indikator/pll-nasjonalt/" in page.url
    rows_before = page.locator("#vk-data tbody tr").count()
    page.get_by_label("Helseregion", exact=True).select_option("helse-vest")
    page.get_by_role("button", name="Vis de valgte radene").click()
    page.wait_for_url("**region=helse-vest**")
    rows_after = page.locator("#vk-data tbody tr").count()
    assert 0 < rows_after < rows_before
    cells = page.locator("#vk-data tbody tr td:first-child").all_inner_texts()
    assert set(cells) == {"Helse Vest"}
    with page.expect_download() as info:
        page.get_by_role("link", name="Data som CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("region,region_label,period,value")


def test_the_chart_becomes_interactive_and_keeps_its_text(server, page):
    page.goto(server + "/indikator/velferdsteknologi/")
    page.wait_for_selector(".vk-chart canvas, .vk-chart .vega-embed svg", timeout=20000)
    assert page.locator("figure figcaption").inner_text().strip()


def test_language_switch_keeps_the_page(server, page):
    page.goto(server + "/indikator/pll-nasjonalt/")
    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/en/indikator/pll-nasjonalt/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to main content").count() == 1
    page.get_by_role("link", name="Norsk (bokmål)").click()
    assert page.url.endswith("/indikator/pll-nasjonalt/") and "/en/" not in page.url
    assert page.locator("html").get_attribute("lang") == "nb"


def test_keyboard_alone_reaches_every_link_of_the_front_page_with_visible_focus(server, page):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.textContent.trim()")
    assert first == "Hopp til hovedinnhold"
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().top >= 0")
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    reached = set()
    links = page.evaluate("() => Array.from(document.querySelectorAll('main a[href], footer a[href]')).map(a => a.href)")
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {href: e.href || null, outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"""
        )
        if info["href"]:
            reached.add(info["href"])
        assert info["outline"] != "none" or info["shadow"] != "none", info  # focus is visible
        if set(links) <= reached:
            break
    assert set(links) <= reached
    page.goto(server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the first link after the skip link: the site's name, the front page
    assert page.url.rstrip("/") == server


@pytest.mark.parametrize("lang", ["", "/en"])
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_wcag_21_a_or_aa_violation(server, page, lang, path):
    page.goto(server + lang + path)
    assert axe_violations(page) == []


def test_no_wcag_violation_in_the_static_site(tmp_path, page):
    from veikart.web.site import build_site

    url = f"sqlite:///{tmp_path / 'store.db'}"
    load_default(url)
    out = tmp_path / "site"
    build_site(url, out)
    for rel in ["index.html", "en/mal/1/index.html", "indikator/pll-nasjonalt/index.html",
                "en/status/index.html", "sok/index.html"]:
        page.goto((out / rel).as_uri())
        assert page.locator("link[rel=stylesheet]").count() == 3
        assert axe_violations(page) == [], rel


CORPUS = Path("/work/shared/corpora/opensdg-uk")


def test_no_wcag_violation_in_a_static_build_of_the_uk_corpus(tmp_path, page):
    """A sample of the UK Open SDG corpus (its first two goals' indicators, all their rows)
    built as a static site; page types of both languages through axe-core."""
    from tests.conftest import IN_CI
    from veikart.core.dataset import FrameworkData
    from veikart.opensdg import import_opensdg
    from veikart.store.store import Store
    from veikart.web.site import build_site

    if not (CORPUS / "data").is_dir():
        message = f"the Open SDG corpus is not at {CORPUS}"
        if IN_CI:
            pytest.fail(message + " (CI=true: this test may not be skipped)")
        pytest.skip(message + "; skipped outside CI")
    data, _report = import_opensdg(CORPUS, default_direction="higher_is_better")
    goals = {g.id for g in data.framework.goals[:2]}
    inds = {k: v for k, v in data.indicators.items() if v.goal in goals}
    sample = FrameworkData(data.framework, inds, {k: v for k, v in data.observations.items() if k in inds},
                           data.periods)
    url = f"sqlite:///{tmp_path / 'uk.db'}"
    s = Store(url)
    s.migrate()
    s.import_data(sample, actor="test")
    s.close()
    out = tmp_path / "site"
    build_site(url, out)
    with_data = next(i for i in inds if i in sample.observations)
    first_goal = data.framework.goals[0].id
    for rel in ["index.html", f"mal/{first_goal}/index.html", f"en/mal/{first_goal}/index.html",
                f"indikator/{with_data}/index.html", f"en/indikator/{with_data}/index.html", "status/index.html",
                "en/metode/index.html"]:
        page.goto((out / rel).as_uri())
        assert axe_violations(page) == [], rel


@pytest.mark.parametrize("path", ["/", "/indikator/pll-nasjonalt/", "/en/mal/1/", "/status/"])
def test_usable_at_400_percent_zoom_without_scrolling_sideways(browser, server, path):
    """WCAG 1.4.10 (reflow): at 320 CSS px (1280 px at 400 %) the page itself never scrolls
    sideways; only a wide table scrolls inside its own focusable region."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(server + path)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        assert page.locator("h1").bounding_box()["width"] <= 320
    finally:
        context.close()
