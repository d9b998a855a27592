"""A hand-built status report for the renderer tests: every slide kind and block type, Norwegian
text with æøå, an illustrative chart, a long bullet list and a table of 30 rows."""

from __future__ import annotations

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

GREEN = Badge("I rute", "#009E73", "#000000", "progress", "2,5")
ORANGE = Badge("Noe bekymring", "#E69F00", "#000000", "assessment")
RED = Badge("Krever akselerasjon", "#D55E00", "#000000", "progress", "-1,0")
GREY = Badge("Ikke vurdert", "#999999", "#000000", "progress")

ILLUSTRATIVE = "Illustrasjonsdata - ikke offisielle tall"
LINK_1A = "https://www.helsedirektoratet.no/digitalisering-og-e-helse/veikart-for-nasjonal-e-helsestrategi/1a"

BAR_SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "width": 420,
    "height": 220,
    "title": "Framdrift mot 2030",
    "data": {"values": [{"år": "2023", "andel": 41}, {"år": "2024", "andel": 55}, {"år": "2025", "andel": 63}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "år", "type": "ordinal", "title": "År"},
        "y": {"field": "andel", "type": "quantitative", "title": "Andel kommuner (%)"},
    },
}

LONG_BULLETS = tuple(
    f"Punkt {n}: kommunene rapporterer økt bruk av velferdsteknologi, og færre søknader står på vent hos "
    f"Helsedataservice ({n * 3} % økning)"
    for n in range(1, 26)
)

TABLE_ROWS = tuple(
    (
        str(1 + n % 5),
        f"Indikator {n + 1}: Pasientens legemiddelliste – andel innbyggere i region {n + 1}",
        ("I rute", "Noe bekymring", "Krever akselerasjon", "Ikke vurdert")[n % 4],
        f"{40 + n},{n % 10} % (2025)",
        "75 % innen 2030",
        str(2027 + n % 4),
    )
    for n in range(30)
)
TABLE_BADGES = tuple((GREEN, ORANGE, RED, GREY)[n % 4] for n in range(30))


def sample_report() -> Report:
    chart = ChartSpec(
        id="chart-velferdsteknologi",
        title="Framdrift mot 2030",
        spec=BAR_SPEC,
        alt="Søylediagram: andel kommuner som bruker velferdsteknologi, 41 % i 2023, 55 % i 2024 og 63 % i 2025.",
        provenance="Kilde: SSB/KPR. Illustrasjonsdata - ikke offisielle tall. Hentet 29.01.2026.",
        illustrative=True,
    )
    survey_chart = ChartSpec(
        id="chart-undersokelse",
        title="Ønsker tilgang til journal fra fastlegen",
        spec={**BAR_SPEC, "title": "Ønsker tilgang til journal (n=1581)"},
        alt="Søylediagram over svar i Innbyggerundersøkelsen 2023–2025.",
        provenance="Kilde: Innbyggerundersøkelsen (n=1581)",
        illustrative=True,  # the provenance lacks the notice: the renderer adds it
    )
    slides = (
        Slide("title", "title", "Statusrapport: Veikart for nasjonal e-helsestrategi", subtitle="Januar 2026 – Helsedirektoratet"),
        Slide(
            "contents",
            "contents",
            "Innhold",
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
            "Siden forrige rapport",
            (
                Section(None, (Paragraph("Sammenlignet med desember 2025: **12 nye** og *3 reviderte* observasjoner."),)),
                Section(
                    "Statusendringer",
                    (
                        TableBlock(
                            ("Indikator", "Før", "Nå"),
                            (("Bruk av velferdsteknologi", "Noe bekymring", "I rute"),),
                            badges=(GREEN,),
                            badge_column=2,
                        ),
                    ),
                ),
                Section("Ambisjoner", (Bullets(LONG_BULLETS),)),
            ),
        ),
        Slide(
            "overview",
            "overview",
            "Oversikt over indikatorene",
            (
                Section(
                    None,
                    (
                        TableBlock(
                            ("Mål", "Indikator", "Status", "Siste verdi", "Ambisjon", "Forventet nådd"),
                            TABLE_ROWS,
                            caption="Alle indikatorer: beregnet status, siste verdi, ambisjon og når framskrivingen når den.",
                            badges=TABLE_BADGES,
                            badge_column=2,
                        ),
                    ),
                ),
            ),
            notes="Oversikten er beregnet automatisk; se metodesiden.",
        ),
        Slide(
            "freshness",
            "freshness",
            "Dataenes ferskhet",
            (
                Section(
                    None,
                    (
                        Paragraph("2 av 5 indikatorer med oppdateringsfrekvens har et nyere tall forfalt innen 29.01.2026."),
                        TableBlock(
                            ("Indikator", "Frekvens", "Siste periode", "Neste tall ventet", "Tilstand"),
                            (
                                ("Søknader til Helsedataservice", "Kvartalsvis", "3. kvartal 2025", "31.03.2026", "à jour"),
                                ("Tillit til håndtering av helseopplysninger", "Årlig", "2024", "01.07.2026", "forfalt"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        Slide(
            "goal-1",
            "goal",
            "Oppsummering status mål 1",
            (
                Section(
                    "Overordnet status",
                    (
                        ORANGE,
                        Bullets(
                            (
                                "God fremdrift for innbyggertjenester fra spesialist.",
                                "Innføring av innbyggertjenester i kommunene har ikke ønsket fremdrift.",
                                "Innbyggers rettigheter styrkes som en konsekvens av EHDS.",
                            )
                        ),
                    ),
                    "main",
                ),
                Section(
                    "Utvalgte indikatorer og strategiske delmål",
                    (
                        Bullets(
                            (
                                f"[Delmål 1A Innbygger skal ha mulighet til å administrere behandlingsforløp]({LINK_1A})",
                                "Delmål 1D Ungdom skal ha tilgang på digitale tjenester",
                                "[Farlig lenke](javascript:alert(1)) vises som tekst",
                            )
                        ),
                    ),
                    "side",
                ),
                Section("Positive hendelser", (Bullets(("Bruk av digital hjemmeoppfølging er i økning",)),), "full"),
                Section("Utfordringer", (Bullets(("Digitale barrierer for dem som ikke er digitale",)),), "full"),
                Section(
                    "Viktige strategiske spørsmål",
                    (Bullets(("Hvordan følge opp digitale helsetjenester?", "Hvordan stimulere til raskere ibruktagelse?"), ordered=True),),
                    "full",
                ),
            ),
            subtitle="Innbyggerne",
            notes="Velferdsteknologi: andelen øker med 8 prosentpoeng i året.\nSe også **Helsenorge**.",
            badge=ORANGE,
        ),
        Slide(
            "indicator-velferdsteknologi",
            "indicator",
            "Bruk av velferdsteknologi",
            (
                Section(
                    "Om indikatoren",
                    (
                        Paragraph("Måler andelen av kommunene som har tatt i bruk velferdsteknologi ut over trygghetsalarm."),
                        Facts((("Kilde", "SSB/KPR"), ("Oppdatering", "Årlig oppdatering"))),
                    ),
                    "main",
                ),
                Section("Vurdering av ambisjon", (Paragraph("Andelen øker. Velferdsteknologi kan gi store gevinster."),), "main"),
                Section(
                    "Framdrift mot 2030",
                    (ChartBlock("chart-velferdsteknologi"), Callout("Foreslått ambisjon", "100 % innen 2030", "ambition")),
                    "side",
                ),
                Section("Beregnet status", (GREEN, Paragraph("Med dagens tempo nås ambisjonen i 2029.")), "side"),
            ),
            notes="Forklaring: observert vekst 8 % i året mot nødvendig 7 %.",
            badge=GREEN,
        ),
        Slide(
            "statistic-pjd",
            "statistic",
            "Statistikk - Antall virksomheter i Pasientens journaldokumenter som kan gjøre oppslag i dokumenter per virksomhetstype",
            (
                Section("Om statistikken", (Paragraph("Antall unike organisasjonsnummer som har konsumert journaldokumenter."),), "main"),
                Section("Utvikling", (ChartBlock("chart-velferdsteknologi"),), "side"),
            ),
        ),
        Slide(
            "survey-journal",
            "survey",
            "Fra Innbyggerundersøkelsen: Om lag en av fire ønsker tilgang til journal fra fastlegen",
            (
                Section("Spørsmålet", (Facts((("Spørsmål", "Ønsker du tilgang til flere digitale helsetjenester?"),)),)),
                Section(None, (ChartBlock("chart-undersokelse"),)),
                Section(None, (Callout("Merk", "Flere svar mulig; tallene er usikre.", "warning"),)),
            ),
        ),
        Slide(
            "method",
            "method",
            "Metode og kilder",
            (
                Section("Metode", (Bullets(("Status med ambisjon: forholdet mellom observert og nødvendig vekst.",)),), "main"),
                Section("Kilder", (Bullets(("[SSB](https://www.ssb.no)", "[FHI](https://www.fhi.no)")),), "side"),
                Section(None, (Paragraph("Data slik de var kjent 29.01.2026."),), "full"),
            ),
        ),
    )
    return Report(
        title="Statusrapport: Veikart for nasjonal e-helsestrategi",
        subtitle="Januar 2026 – Helsedirektoratet",
        date_text="29.01.2026",
        period_id="2026-01",
        lang="nb",
        slides=slides,
        charts={chart.id: chart, survey_chart.id: survey_chart},
        footer="Statusrapport januar 2026 · 29.01.2026",
        illustrative_notice=ILLUSTRATIVE,
    )
