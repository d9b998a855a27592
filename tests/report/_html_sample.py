"""Hand-built reports for the HTML and PDF renderer tests.

`sample_report()` holds every slide kind and every block type, Norwegian letters, Markdown-lite
with a hostile paragraph, a tiny illustrative Vega-Lite bar chart and a table long enough to run
over a page. `deck_report()` is the size of the bundled default deck (about 25 slides, 12 charts)
with charts shaped like the real "Framdrift mot 2030" charts, for timing.
"""

from __future__ import annotations

from typing import Any

from veikart.report.document import (
    Badge,
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

GOOD = Badge("God framdrift", "#009E73", "#000000", "assessment")
ON_TRACK = Badge("I rute", "#009E73", "#000000", "progress", "2,5")
SLOW = Badge("Framgang, men for sakte", "#F0E442", "#000000", "progress", "0,8")
WRONG = Badge("Utvikling i feil retning", "#D55E00", "#000000", "progress", "-1,2")
# a badge whose text colour is too weak on its fill: the renderer must correct it
LOW_CONTRAST = Badge("Ikke vurdert", "#CCCCCC", "#FFFFFF", "progress")

HOSTILE = 'Før <script>alert(1)</script> og <b>fet</b> & "sitat" – etter'
ILLUSTRATIVE_NOTICE = "Illustrasjonsdata - ikke offisielle tall"
LINK_1A = "https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi/1a"

LONG_TABLE_ROWS = 40

SLIDE_TITLES = (
    "Statusrapport: Veikart for nasjonal e-helsestrategi",
    "Innhold",
    "Siden forrige rapport",
    "Oversikt over indikatorene",
    "Ferskhet i dataene",
    "Oppsummering status mål 1",
    "Bruk av velferdsteknologi",
    "Antall virksomheter i Pasientens journaldokumenter",
    "Ønske om flere digitale helsetjenester",
    "Metode og kilder",
)


def bar_spec(title: str = "Kommuner med velferdsteknologi (%)") -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": 320,
        "height": 160,
        "data": {
            "values": [
                {"år": "2022", "andel": 62},
                {"år": "2023", "andel": 66},
                {"år": "2024", "andel": 71},
                {"år": "2025", "andel": 78},
            ]
        },
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "år", "type": "ordinal", "title": "År"},
            "y": {"field": "andel", "type": "quantitative", "title": "Andel (%)"},
        },
    }


def progress_spec(n: int) -> dict[str, Any]:
    """A chart like "Framdrift mot 2030": observed line, projection with band, ambition rule."""
    observed = [{"år": 2019 + i, "verdi": 40 + 4 * i + (n % 3), "serie": "Observert"} for i in range(7)]
    projection = [
        {"år": 2025 + i, "verdi": 64 + 5 * i, "lav": 60 + 4 * i, "høy": 68 + 6 * i, "serie": "Framskrivning"}
        for i in range(6)
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": 560,
        "height": 260,
        "config": {"font": "sans-serif", "axis": {"labelFontSize": 12, "titleFontSize": 12}},
        "layer": [
            {
                "data": {"values": projection},
                "mark": {"type": "area", "opacity": 0.25, "color": "#56B4E9"},
                "encoding": {
                    "x": {"field": "år", "type": "quantitative", "axis": {"format": "d"}, "title": "År"},
                    "y": {"field": "lav", "type": "quantitative", "title": "Andel kommuner (%)"},
                    "y2": {"field": "høy"},
                },
            },
            {
                "data": {"values": projection},
                "mark": {"type": "line", "strokeDash": [6, 4], "color": "#0072B2"},
                "encoding": {
                    "x": {"field": "år", "type": "quantitative"},
                    "y": {"field": "verdi", "type": "quantitative"},
                },
            },
            {
                "data": {"values": observed},
                "mark": {"type": "line", "point": True, "color": "#000000", "tooltip": True},
                "encoding": {
                    "x": {"field": "år", "type": "quantitative"},
                    "y": {"field": "verdi", "type": "quantitative"},
                },
            },
            {
                "data": {"values": [{"mål": 100, "tekst": "Ambisjon 100 % i 2030"}]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": "#D55E00", "strokeWidth": 2},
                        "encoding": {"y": {"field": "mål", "type": "quantitative"}},
                    },
                    {
                        "mark": {
                            "type": "text",
                            "align": "left",
                            "dx": 4,
                            "dy": -8,
                            "x": 0,
                            "color": "#8a3b00",
                        },
                        "encoding": {
                            "y": {"field": "mål", "type": "quantitative"},
                            "text": {"field": "tekst"},
                        },
                    },
                ],
            },
        ],
    }


def _long_table() -> TableBlock:
    rows = tuple(
        (f"Kommune nr. {i:02d} – Ålesund/Bodø/Tromsø", f"{50 + i % 50} %", "årlig", f"{2019 + i % 7}")
        for i in range(1, LONG_TABLE_ROWS + 1)
    )
    return TableBlock(
        ("Virksomhet", "Andel", "Oppdatering", "Siste år"),
        rows,
        caption="Alle kommuner i utvalget (lang tabell som må kunne gå over flere sider)",
    )


def sample_report(lang: str = "nb") -> Report:
    chart = ChartSpec(
        id="chart-velferdsteknologi",
        title="Framdrift mot 2030",
        spec=bar_spec(),
        alt="Søylediagram: andelen kommuner som bruker velferdsteknologi økte fra 62 % i 2022 til 78 % i 2025.",
        provenance="Kilde: [SSB/KPR](https://www.ssb.no/statbank/table/12345) · data per 15.01.2026",
        illustrative=True,
    )
    survey_chart = ChartSpec(
        id="chart-innbyggerundersokelsen",
        title="Ønske om flere digitale helsetjenester",
        spec=bar_spec("Andel som ønsker flere digitale tjenester (%)"),
        alt="Søylediagram: andelen som ønsker flere digitale helsetjenester, 2022-2025.",
        provenance="Kilde: Innbyggerundersøkelsen (n=1581 i 2025)",
        illustrative=False,
    )
    slides = (
        Slide("title", "title", SLIDE_TITLES[0], subtitle="Statusrapport januar 2026 – Helsedirektoratet"),
        Slide(
            "contents",
            "contents",
            SLIDE_TITLES[1],
            (
                Section(
                    None,
                    (
                        Bullets(
                            (
                                "[Siden forrige rapport](#since-last)",
                                "[Oversikt over indikatorene](#overview)",
                                "[Oppsummering status mål 1: Innbyggere](#goal-1)",
                                "[Metode og kilder](#method)",
                            )
                        ),
                    ),
                ),
            ),
        ),
        Slide(
            "since-last",
            "since_last",
            SLIDE_TITLES[2],
            (
                Section(
                    None,
                    (Paragraph("Sammenlignet med desember 2025: **3** nye og *1* revidert observasjon."),),
                ),
                Section(
                    "Statusendringer",
                    (
                        TableBlock(
                            ("Indikator", "Før", "Nå"),
                            (
                                ("Bruk av velferdsteknologi", "Framgang, men for sakte", "I rute"),
                                ("Pasientens legemiddelliste", "I rute", "Utvikling i feil retning"),
                            ),
                            badges=(ON_TRACK, WRONG),
                            badge_column=2,
                        ),
                    ),
                ),
                Section("Ambisjoner", (Bullets(("Velferdsteknologi: ny ambisjon 100 % innen 2030",)),)),
            ),
        ),
        Slide(
            "overview",
            "overview",
            SLIDE_TITLES[3],
            (
                Section(
                    None,
                    (
                        TableBlock(
                            ("Mål", "Indikator", "Status", "Siste verdi", "Ambisjon"),
                            (
                                (
                                    "1",
                                    "Bruk av velferdsteknologi",
                                    "I rute",
                                    "78 % (2025)",
                                    "100 % innen 2030",
                                ),
                                (
                                    "2",
                                    "Pasientens legemiddelliste",
                                    "Framgang, men for sakte",
                                    "21 % (2025)",
                                    "30 % i desember 2029",
                                ),
                                (
                                    "4",
                                    "Tillit til håndtering av helseopplysninger",
                                    "Ikke vurdert",
                                    "72 % (2025)",
                                    "75 % i 2030",
                                ),
                            ),
                            caption="Hver indikator: status, siste verdi og ambisjon.",
                            badges=(ON_TRACK, SLOW, LOW_CONTRAST),
                            badge_column=2,
                        ),
                    ),
                ),
            ),
        ),
        Slide("freshness", "freshness", SLIDE_TITLES[4], (Section(None, (_long_table(),)),)),
        Slide(
            "goal-1",
            "goal",
            SLIDE_TITLES[5],
            (
                Section(
                    "Overordnet status",
                    (
                        GOOD,
                        Bullets(
                            (
                                "God fremdrift for innbyggertjenester fra spesialist.",
                                "Innbyggers rettigheter styrkes som en konsekvens av **EHDS**.",
                            )
                        ),
                        Paragraph(HOSTILE),
                    ),
                    "main",
                ),
                Section(
                    "Utvalgte indikatorer og strategiske delmål",
                    (
                        Bullets(
                            (
                                f"[Delmål 1A Innbygger skal ha mulighet til å administrere behandlingsforløp]({LINK_1A})",
                                "Indikator: velferdsteknologi ut over trygghetsalarm",
                                "[Ondsinnet lenke](javascript:alert(2))",
                            )
                        ),
                    ),
                    "side",
                ),
                Section("Positive hendelser", (Bullets(("Bruk av digital hjemmeoppfølging øker",)),), "full"),
                Section(
                    "Utfordringer", (Bullets(("Digitale barrierer for ungdom (minID – eID)?",)),), "full"
                ),
                Section(
                    "Viktige strategiske spørsmål",
                    (
                        Bullets(
                            (
                                "Hvordan følge opp at digitale helsetjenester innen psykisk helsevern tas i bruk?",
                                "Hvordan få fremdrift i innbyggers tilgang til journaldokumenter via Helsenorge?",
                            ),
                            ordered=True,
                        ),
                    ),
                    "full",
                ),
                Section(
                    "Fotnoter og lenker",
                    (
                        Bullets(
                            (
                                "https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi/1c",
                            )
                        ),
                    ),
                    "full",
                ),
            ),
            subtitle="Innbyggere: økt bruk av digitale helsetjenester",
            notes="Bruk av velferdsteknologi: andelen økte fra 62 % i 2022 til 78 % i 2025.\n\nTakten må økes.",
            badge=GOOD,
        ),
        Slide(
            "indicator-velferdsteknologi",
            "indicator",
            SLIDE_TITLES[6],
            (
                Section(
                    "Om indikatoren",
                    (
                        Paragraph(
                            "Måler andelen av kommunene som har tatt i bruk velferdsteknologi ut over "
                            "trygghetsalarm (Kilde: SSB/KPR). Se [SSB](https://www.ssb.no/)."
                        ),
                        Facts(
                            (
                                ("Kilde", "[SSB/KPR](https://www.ssb.no/)"),
                                ("Oppdatering", "Årlig oppdatering"),
                            )
                        ),
                    ),
                    "main",
                ),
                Section(
                    "Vurdering av ambisjon",
                    (
                        Paragraph(
                            "Andelen øker. Forslag til utvikling mot 2030 er at *100 %* av kommunene har innført velferdsteknologi."
                        ),
                    ),
                    "main",
                ),
                Section(
                    "Framdrift mot 2030",
                    (ChartBlock(chart.id), Callout("Foreslått ambisjon", "100 % innen 2030", "ambition")),
                    "side",
                ),
                Section("Beregnet status", (ON_TRACK, Paragraph("Andelen økte fra 62 % til 78 %.")), "side"),
            ),
            notes="Illustrasjonsdata i diagrammet.",
            badge=ON_TRACK,
        ),
        Slide(
            "statistic-pjd",
            "statistic",
            SLIDE_TITLES[7],
            (
                Section(
                    "Om statistikken",
                    (
                        Paragraph("Antall unike organisasjonsnummer som har konsumert journaldokumenter."),
                        Callout("Merknad", "Statistikken er under utvikling.", "warning"),
                        Callout(
                            "Merk", "De 39 virksomhetene representerer trolig 32 unike legevakter.", "note"
                        ),
                    ),
                ),
            ),
        ),
        Slide(
            "survey-innbygger",
            "survey",
            SLIDE_TITLES[8],
            (
                Section(
                    "Spørsmålet",
                    (
                        Facts(
                            (
                                ("Spørsmål", "Ønsker du tilgang til flere digitale helsetjenester?"),
                                ("Svar", "flere svar mulig"),
                            )
                        ),
                    ),
                    "main",
                ),
                Section("Svar", (ChartBlock(survey_chart.id),), "side"),
            ),
        ),
        Slide(
            "method",
            "method",
            SLIDE_TITLES[9],
            (
                Section(
                    "Metode",
                    (Bullets(("Status med ambisjon: forholdet mellom observert og nødvendig vekst.",)),),
                    "main",
                ),
                Section(
                    "Kilder", (Bullets(("[FHI](https://www.fhi.no/)", "NHN / Reseptformidleren")),), "side"
                ),
                Section(None, (Paragraph("Data slik de var kjent 15.01.2026."),), "full"),
            ),
        ),
    )
    return Report(
        title=SLIDE_TITLES[0],
        subtitle="Statusrapport januar 2026",
        date_text="29.01.2026",
        period_id="2026-01",
        lang=lang,
        slides=slides,
        charts={chart.id: chart, survey_chart.id: survey_chart},
        footer="Statusrapport januar 2026 · 29.01.2026",
        illustrative_notice=ILLUSTRATIVE_NOTICE,
        provenance={"framework": "e-helse", "period": "2026-01", "data_as_of": "15.01.2026"},
    )


def deck_report(n_goals: int = 5, charts_per_goal: int = 3, extra_slides: int = 6) -> Report:
    """About the size of the bundled default deck: 5 goal summaries, 12-15 indicator slides
    with a progress chart each, and the framing slides."""
    base = sample_report()
    slides: list[Slide] = list(base.slides[:5])
    charts: dict[str, ChartSpec] = {}
    n = 0
    for g in range(1, n_goals + 1):
        goal = base.slides[5]
        slides.append(
            Slide(
                f"goal-{g}",
                "goal",
                f"Oppsummering status mål {g}",
                goal.sections,
                goal.subtitle,
                goal.notes,
                goal.badge,
            )
        )
        for _ in range(charts_per_goal if g < n_goals else max(0, 12 - n)):
            if n >= 12:
                break
            n += 1
            cid = f"chart-{n}"
            charts[cid] = ChartSpec(
                cid,
                "Framdrift mot 2030",
                progress_spec(n),
                f"Linjediagram {n}: observert, framskrivning og ambisjon.",
                "Kilde: SSB/KPR",
                n % 2 == 0,
            )
            ind = base.slides[6]
            sections = tuple(
                Section(
                    s.title,
                    tuple(ChartBlock(cid) if isinstance(b, ChartBlock) else b for b in s.blocks),
                    s.area,
                )
                for s in ind.sections
            )
            slides.append(
                Slide(
                    f"indicator-{n}",
                    "indicator",
                    f"Indikator {n}: bruk av velferdsteknologi",
                    sections,
                    notes=ind.notes,
                    badge=ind.badge,
                )
            )
    slides += [s for s in base.slides[7:] if s.kind != "survey"]
    return Report(
        title=base.title,
        subtitle=base.subtitle,
        date_text=base.date_text,
        period_id=base.period_id,
        lang=base.lang,
        slides=tuple(slides[: 5 + n_goals + 12 + extra_slides]),
        charts=charts,
        footer=base.footer,
        illustrative_notice=base.illustrative_notice,
        provenance=base.provenance,
    )
