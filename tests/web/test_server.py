"""Every route of the dashboard through the real ASGI app (httpx), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.web.conftest import DRAFT_ID, DRAFT_TEXT, SECRET_FORMS, SECRET_NOTE, SECRET_PERIOD

PAGES = [
    "/",
    "/mal/1/",
    "/mal/2/",
    "/indikator/velferdsteknologi/",
    "/indikator/pll-nasjonalt/",
    "/indikator/pjd-virksomheter/",
    "/indikator/innbyggerundersokelsen-digitale-tjenester/",
    "/status/",
    "/siden-forrige-rapport/",
    "/metode/",
    "/tilgjengelighetserklaering/",
    "/sok/?q=legemiddel",
]
API = [
    "/api/v1/framework",
    "/api/v1/goals",
    "/api/v1/goals/1",
    "/api/v1/indicators",
    "/api/v1/indicators/pll-nasjonalt",
    "/api/v1/indicators/pll-nasjonalt/csv",
    "/api/v1/indicators/pll-nasjonalt/jsonstat",
    "/api/v1/observations?indicator=pll-nasjonalt",
    "/api/v1/observations",
    "/api/v1/progress",
    "/api/v1/periods",
    "/api/v1/vintages",
    "/api/v1/openapi.json",
]
DOWNLOADS = ["data.csv", "data.json", "data.jsonstat.json", "chart.svg", "chart.png"]


def _leaks(text: str) -> list[str]:
    found = [f for f in SECRET_FORMS if f in text]
    found += [s for s in (SECRET_NOTE, DRAFT_TEXT, DRAFT_ID) if s in text]
    return found


@pytest.mark.parametrize("lang", ["", "/en"])
def test_every_page_answers_in_its_language_with_the_switch(client, lang):
    for path in PAGES:
        r = client.get(lang + path)
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["content-type"].startswith("text/html")
        want = "en" if lang else "nb"
        assert f'<html lang="{want}"' in r.text
        other = "nb" if lang else "en"
        assert f'hreflang="{other}"' in r.text, path  # the language switch
        assert 'href="#main"' in r.text and 'id="main"' in r.text  # skip link and its target
        assert "<header" in r.text and "<nav" in r.text and "<footer" in r.text
        assert r.headers["etag"] and r.headers["cache-control"]


def test_bokmal_is_the_default_and_english_is_under_en(client):
    nb = client.get("/mal/1/").text
    en = client.get("/en/mal/1/").text
    assert "Aktiv medvirkning i egen og næres helse" in nb
    assert "Active participation in one" in en
    assert "Hopp til hovedinnhold" in nb and "Skip to main content" in en


def test_goal_page_shows_the_published_assessment_subgoals_and_indicators(client):
    text = client.get("/mal/1/").text
    assert "Positive hendelser" in text and "Utfordringer" in text and "Viktige strategiske spørsmål" in text
    assert "Innbygger får stadig flere tjenester på Helsenorge" in text  # a positive event of goal 1
    assert "1A" in text and "https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi/1a" in text
    assert 'href="/indikator/velferdsteknologi/"' in text


def test_indicator_page_has_chart_table_definition_provenance_and_downloads(client):
    text = client.get("/indikator/velferdsteknologi/").text
    assert '<svg' in text and 'role="img"' in text  # the chart, drawn without JavaScript
    assert 'type="application/json"' in text and "/static/vega-embed.js" in text
    assert "Illustrasjonsdata - ikke offisielle tall" in text
    assert "Foreslått ambisjon" in text or "Vedtatt ambisjon" in text
    assert "Statistisk sentralbyrå" in text or "SSB" in text
    for name in DOWNLOADS:
        assert f'/indikator/velferdsteknologi/{name}' in text
    assert '<table class="ds-table"' in text and "<caption" in text


def test_filter_form_narrows_the_table_by_get_parameters(client):
    full = client.get("/indikator/pll-nasjonalt/").text
    vest = client.get("/indikator/pll-nasjonalt/?region=helse-vest").text
    rows = lambda t: len(re.findall(r"<tr>", t.split('id="vk-data"')[1].split("</table>")[0]))
    assert rows(vest) < rows(full)
    table = vest.split('id="vk-data"')[1].split("</table>")[0]
    assert "Helse Vest" in table and "Helse Sør-Øst" not in table
    assert '<option value="helse-vest" selected>' in vest
    total = client.get("/indikator/pll-nasjonalt/?region=_total").text
    assert "Helse Vest</td>" not in total.split('id="vk-data"')[1].split("</table>")[0]


def test_downloads(client):
    r = client.get("/indikator/pll-nasjonalt/data.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and {"region", "period", "value", "provenance"} <= set(rows[0])
    js = client.get("/indikator/pll-nasjonalt/data.json").json()
    assert js["id"] == "pll-nasjonalt" and js["observation_count"] == len(rows)
    stat = client.get("/indikator/pll-nasjonalt/data.jsonstat.json").json()
    assert stat["version"] == "2.0" and stat["class"] == "dataset"
    assert stat["id"] == ["region", "period"] and len(stat["size"]) == 2
    assert len(stat["value"]) == len(rows)
    n_cells = stat["size"][0] * stat["size"][1]
    assert all(0 <= int(k) < n_cells for k in stat["value"])
    svg = client.get("/indikator/pll-nasjonalt/chart.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.lstrip().startswith("<svg")
    png = client.get("/indikator/pll-nasjonalt/chart.png")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_jsonstat_places_each_value_at_its_dimension_index(client):
    stat = client.get("/api/v1/indicators/pll-nasjonalt/jsonstat").json()
    obs = client.get("/api/v1/observations?indicator=pll-nasjonalt&dimension=region=helse-vest&limit=10000").json()
    regions = stat["dimension"]["region"]["category"]["index"]
    periods = stat["dimension"]["period"]["category"]["index"]
    for o in obs["items"]:
        flat = regions["helse-vest"] * stat["size"][1] + periods[o["period"]]
        assert stat["value"][str(flat)] == o["value"]


def test_api_documents(client):
    fw = client.get("/api/v1/framework").json()
    assert fw["id"] == "e-helse-veikart" and len(fw["goals"]) == 5 and fw["period"] == "2026-01"
    assert {i["id"] for i in fw["indicators"]} >= {"velferdsteknologi", "pll-nasjonalt"}
    ind = client.get("/api/v1/indicators/velferdsteknologi").json()
    assert ind["illustrative"] is True and ind["notice"]
    assert ind["progress"]["status"] in {s["status"] for s in client.get("/api/v1/progress").json()["indicators"]}
    periods = client.get("/api/v1/periods").json()
    assert [p["id"] for p in periods] == ["2026-01"]
    assert client.get("/api/v1/vintages").json()[0]["action"] == "import"
    en = client.get("/api/v1/goals/1?lang=en").json()
    assert en["title"].startswith("Active participation")


def test_observations_filter_and_page(client):
    first = client.get("/api/v1/observations?indicator=pll-nasjonalt&limit=5").json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5 and first["total"] > 5
    second = client.get("/api/v1/observations?indicator=pll-nasjonalt&limit=5&offset=5").json()
    assert first["items"] != second["items"] and second["total"] == first["total"]
    vest = client.get("/api/v1/observations?indicator=pll-nasjonalt&dimension=region=helse-vest&limit=10000").json()
    assert vest["items"] and all(o["series"] == {"region": "helse-vest"} for o in vest["items"])
    total = client.get("/api/v1/observations?indicator=pll-nasjonalt&dimension=region=_total&limit=10000").json()
    assert total["items"] and all(o["series"] == {} for o in total["items"])
    ranged = client.get(
        "/api/v1/observations?indicator=pll-nasjonalt&period_from=2025-01&period_to=2025-06&limit=10000"
    ).json()
    assert ranged["items"] and all("2025-01" <= o["period"] <= "2025-06" for o in ranged["items"])
    assert ranged["total"] < first["total"]


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/api/v1/observations?limit=0", 422, "limit"),
        ("/api/v1/observations?offset=-1", 422, "offset"),
        ("/api/v1/observations?indicator=nope", 404, "nope"),
        ("/api/v1/observations?indicator=pll-nasjonalt&dimension=fylke=x", 400, "fylke"),
        ("/api/v1/observations?indicator=pll-nasjonalt&dimension=region=atlantis", 400, "atlantis"),
        ("/api/v1/observations?indicator=pll-nasjonalt&dimension=region", 400, "region=helse-vest"),
        ("/api/v1/observations?period_from=last-year", 400, "period_from"),
        ("/api/v1/framework?as_of=yesterday", 400, "as_of"),
        ("/api/v1/framework?as_of=1990-01-01", 400, "1990"),
        ("/api/v1/framework?period=2099-01", 404, "2099-01"),
        (f"/api/v1/framework?period={DRAFT_ID}", 404, DRAFT_ID),
        ("/api/v1/framework?lang=de", 422, "lang"),
        ("/api/v1/goals/9", 404, "9"),
        ("/api/v1/indicators/nope", 404, "nope"),
        ("/api/v1/nothing", 404, "/api/v1/nothing"),
        ("/api/v1/vintages?limit=abc", 422, "limit"),
        ("/api/v1/observations?indicatr=pll-nasjonalt", 400, "indicatr"),
        ("/api/v1/periods?period=2026-01", 400, "period"),
    ],
)
def test_bad_api_parameters_are_4xx_json_with_a_message(client, path, status, words):
    r = client.get(path)
    assert r.status_code == status, r.text
    body = r.json()
    assert words in body["message"] and body["status"] == status
    assert "Traceback" not in r.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/indikator/pll-nasjonalt/?region=atlantis", 400),
        ("/indikator/pll-nasjonalt/?fylke=x", 400),
        ("/indikator/nope/", 404),
        ("/mal/9/", 404),
        ("/?as_of=notadate", 400),
        (f"/?period={DRAFT_ID}", 404),
        ("/indikator/pll-nasjonalt/data.xlsx", 404),
    ],
)
def test_bad_page_parameters_are_4xx_pages_with_a_message(client, path, status):
    r = client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html") and '<html lang="nb"' in r.text
    assert "<h1>" in r.text and "Traceback" not in r.text


def test_etag_and_304(client):
    for path in ["/", "/indikator/velferdsteknologi/", "/api/v1/framework", "/api/v1/openapi.json",
                 "/static/web.css", "/indikator/velferdsteknologi/data.csv"]:
        r = client.get(path)
        tag = r.headers["etag"]
        assert r.headers["cache-control"].startswith("public")
        again = client.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        other = client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.content == r.content


def test_as_of_view_shows_a_banner_and_the_data_then(client, web_db):
    from veikart.store.store import Store

    s = Store(web_db)
    when = s.vintage().strftime("%Y-%m-%d")
    s.close()
    r = client.get(f"/?as_of={when}")
    assert r.status_code == 200 and "vk-banner" in r.text
    assert 'vk-banner' not in client.get("/").text
    assert f"as_of={when}" in r.text  # links keep the view


def test_search_finds_goals_and_indicators_in_both_languages(client):
    nb = client.get("/sok/?q=legemiddelliste").text
    assert 'href="/indikator/pll-nasjonalt/"' in nb
    en = client.get("/en/sok/?q=medication list").text
    assert 'href="/en/indikator/pll-nasjonalt/"' in en
    none = client.get("/sok/?q=zzzqqq").text
    main = none.split('id="main"')[1].split("</main>")[0]
    assert 'href="/indikator/' not in main and 'href="/mal/' not in main and "zzzqqq" in main


def test_nothing_suppressed_or_draft_appears_anywhere(client):
    paths = [p for p in PAGES] + ["/en" + p for p in PAGES] + API
    paths += [f"/indikator/pll-nasjonalt/{d}" for d in DOWNLOADS if not d.endswith(".png")]
    paths += ["/api/v1/observations?indicator=pll-nasjonalt&limit=10000&dimension=region=helse-vest",
              f"/api/v1/observations?indicator=pll-nasjonalt&period_from={SECRET_PERIOD}&period_to={SECRET_PERIOD}"]
    for path in paths:
        r = client.get(path)
        assert r.status_code == 200, path
        assert _leaks(r.text) == [], path
    obs = client.get(f"/api/v1/observations?indicator=pll-nasjonalt&period_from={SECRET_PERIOD}&period_to={SECRET_PERIOD}").json()
    assert obs["total"] == 0


def test_the_secret_row_is_in_the_store_so_the_test_above_means_something(web_db):
    from veikart.store.store import Store

    s = Store(web_db)
    data = s.load()
    s.close()
    t = data.observations["pll-nasjonalt"]
    assert SECRET_NOTE in t.note and DRAFT_ID in data.periods


def test_openapi_describes_the_responses(client):
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for p in ["/api/v1/framework", "/api/v1/observations", "/api/v1/progress", "/api/v1/periods", "/api/v1/vintages",
              "/api/v1/indicators/{ind_id}", "/api/v1/indicators/{ind_id}/csv", "/api/v1/indicators/{ind_id}/jsonstat"]:
        assert p in paths, p
    ok = paths["/api/v1/observations"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("ObservationsOut")
    assert "ObservationsOut" in json.dumps(spec["components"])
    assert not any(p.startswith("/indikator") for p in paths)  # pages are not part of the API


def test_a_change_in_the_store_is_served_at_once(tmp_path):
    from tests.web.conftest import Client, default_data, load_default
    from veikart.store.store import Store
    from veikart.web.server import create_app

    url = f"sqlite:///{tmp_path / 'store.db'}"
    load_default(url, with_secrets=False)
    app = create_app(url, chart_cache=False, recheck=0)
    slow = create_app(url, chart_cache=False, recheck=3600)  # asks the store's vintage once an hour
    c = Client(app)
    before = c.get("/api/v1/observations?indicator=helsedata-utleveringstid&limit=1000")
    page_before = c.get("/indikator/helsedata-utleveringstid/")
    slow_before = Client(slow).get("/api/v1/observations?indicator=helsedata-utleveringstid&limit=1000")
    data = default_data(with_secrets=False)
    t = data.observations["helsedata-utleveringstid"]
    t.values[-1] = 4321.0
    s = Store(url)
    s.import_data(data, actor="test")
    s.close()
    after = c.get("/api/v1/observations?indicator=helsedata-utleveringstid&limit=1000")
    assert after.headers["etag"] != before.headers["etag"]
    assert 4321.0 in [o["value"] for o in after.json()["items"]]
    assert 4321.0 not in [o["value"] for o in before.json()["items"]]
    page_after = c.get("/indikator/helsedata-utleveringstid/", headers={"If-None-Match": page_before.headers["etag"]})
    assert page_after.status_code == 200 and "4321" in page_after.text.replace("\xa0", "").replace(" ", "")
    slow_after = Client(slow).get("/api/v1/observations?indicator=helsedata-utleveringstid&limit=1000")
    assert slow_after.content == slow_before.content  # answered from memory until its next check
    app.state.queries.close()
    slow.state.queries.close()


def test_verdicts_on_illustrative_data_are_marked_on_every_page_as_in_the_deck(client):
    """Issue 13's rule on the dashboard: the welfare-technology status rests on illustrative
    data, so its badge and sentence say so (views.explain.headline_badge, as in the deck), on
    the front page, the goal page, the indicator page and the reporting-status page."""
    import re

    for path in ("/", "/mal/1/", "/indikator/velferdsteknologi/", "/status/"):
        text = client.get(path).text
        badges = re.findall(r'<span class="vk-badge"[^>]*>([^<]*)</span>', text)
        assert any(b.endswith("(illustrasjonsdata)") for b in badges), (path, badges)
        assert "I rute" not in badges, (path, badges)  # never a bare verdict on made-up data
    page = client.get("/indikator/velferdsteknologi/").text
    assert "Illustrasjonsdata: " in page  # the status sentence is marked at its start
