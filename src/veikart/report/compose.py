"""What the status report says, slide by slide: from the framework, its progress and the period's
assessments to a `Report` document. No layout and no I/O: the renderers decide where things go.

Slide order follows the seed deck of 29.01.2026 (a goal summary, then that goal's indicators,
statistics and surveys), framed by what the seed lacked: a contents page, "Siden forrige
rapport", an overview of every indicator, a data-freshness table and a closing page on method
and sources.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from veikart.core.assess import MIN_PROJECTION_OBSERVATIONS, IndicatorResult, SeriesResult, assess_framework
from veikart.core.dataset import FrameworkData, localised, localised_period
from veikart.core.model import (
    AssessmentStatus,
    Frequency,
    GoalAssessment,
    Indicator,
    IndicatorKind,
    Provenance,
    ReportingPeriod,
)
from veikart.core.periods import Period, date_as_fractional_year
from veikart.core.progress import Status
from veikart.i18n import _, fmt_date, fmt_number
from veikart.i18n.labels import badge as assessment_badge
from veikart.i18n.labels import label, progress_label
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
    SlideKind,
    TableBlock,
)
from veikart.views.charts import illustrative_notice
from veikart.views.explain import (
    after_deadline,
    explain_indicator,
    explain_series,
    has_ambition,
    headline_badge,
    headline_label,
    is_verdict,
    marked,
    method_note,
)
from veikart.views.format import fmt_deadline, fmt_period, fmt_value, fmt_year
from veikart.views.vocabulary import ambition_text, dimension_title, latest_value, series_name

__all__ = [
    "ChartFactory",
    "ReportInputs",
    "ambition_callout",
    "compose_report",
    "freshness",
    "method_slide",
    "since_last_slide",
    "sources_text",
]  # the slides and texts the dashboard shows as the deck does

#: How long after a period's end its figure is normally published, by update frequency.
PUBLICATION_LAG = {
    Frequency.ANNUAL: timedelta(days=183),
    Frequency.QUARTERLY: timedelta(days=92),
    Frequency.MONTHLY: timedelta(days=61),
    Frequency.CONTINUOUS: timedelta(days=31),
}
FREQUENCY_STEP = {
    Frequency.ANNUAL: timedelta(days=365),
    Frequency.QUARTERLY: timedelta(days=92),
    Frequency.MONTHLY: timedelta(days=31),
    Frequency.CONTINUOUS: timedelta(days=31),
}

ChartFactory = Callable[[IndicatorResult, FrameworkData, str], ChartSpec | None]


@dataclass
class ReportInputs:
    """Everything a report is made from."""

    data: FrameworkData
    period: ReportingPeriod | None
    lang: str
    chart_for: ChartFactory
    previous: FrameworkData | None = None  # the data as known at the previous period's date
    previous_period: ReportingPeriod | None = None
    results: list[IndicatorResult] | None = None
    provenance: dict[str, Any] = field(default_factory=dict)


def _md_escape(text: str) -> str:
    """Text from data shown inside Markdown-lite: brackets and asterisks lose their meaning."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[", "\\[").replace("]", "\\]")


def _progress_badge(r: IndicatorResult, illustrative: bool = False) -> Badge:
    """The headline badge (views.explain.headline_badge) as a document badge."""
    b = headline_badge(r, illustrative)
    return Badge(b.label, b.colour, b.text_colour, "progress")


def _latest(inp: ReportInputs, ind: Indicator) -> tuple[str, str]:
    """The latest value and its period, by the one rule of views.vocabulary."""
    latest = latest_value(inp.data.observations.get(ind.id))
    return latest.cells(ind) if latest is not None else ("-", "-")


_ambition_text = ambition_text


def _attainment_text(r: IndicatorResult) -> str:
    s = r.headline
    if s is None or s.projection is None or s.ambition is None:
        return "-"
    p = s.projection
    if s.progress is not None and s.progress.status is Status.TARGET_ACHIEVED:
        return _("reached")
    if p.expected_attainment is not None:
        year = fmt_year(p.expected_attainment)
        return _("{year}, after the deadline").format(year=year) if after_deadline(s) else year
    return _("not before {year}").format(year=fmt_year(p.not_before or 2100))


def _has_illustrative(data: FrameworkData, ind_id: str) -> bool:
    t = data.observations.get(ind_id)
    return t is not None and Provenance.ILLUSTRATIVE.value in t.provenance


def sources_text(ind: Indicator) -> str:
    parts = []
    for s in ind.sources:
        name = s.organisation + (f" ({s.name})" if s.name and s.name != s.organisation else "")
        parts.append(f"[{_md_escape(name)}]({s.url})" if s.url else _md_escape(name))
    return "; ".join(parts) or _("not stated")


# --- slides --------------------------------------------------------------------------------


def _title_slide(inp: ReportInputs) -> Slide:
    fw, per = inp.data.framework, inp.period
    subtitle = per.title if per else fw.title
    return Slide(
        "title",
        "title",
        _("Status report: {title}").format(title=fw.title) if per else fw.title,
        subtitle=subtitle + (f" – {fw.owner}" if fw.owner else ""),
    )


def since_last_slide(inp: ReportInputs, results: list[IndicatorResult]) -> Slide:
    title = _("Since the last report")
    prev = inp.previous
    if prev is None or inp.previous_period is None:
        return Slide(
            "since-last",
            "since_last",
            title,
            (
                Section(
                    None,
                    (Paragraph(_("This is the first report in Veikart: there is no earlier period to compare with.")),),
                ),
            ),
        )
    now_data = inp.data
    new_obs = revised = 0
    per_indicator: list[tuple[str, ...]] = []
    for ind_id, table in now_data.observations.items():
        before = prev.observations.get(ind_id)
        old = {}
        if before is not None:
            old = {(before.keys[i], before.periods[i]): before.values[i] for i in range(len(before))}
        n_new = n_rev = 0
        for i in range(len(table)):
            k = (table.keys[i], table.periods[i])
            if k not in old:
                n_new += 1
            elif old[k] != table.values[i]:
                n_rev += 1
        new_obs += n_new
        revised += n_rev
        if n_new or n_rev:
            per_indicator.append((now_data.indicators[ind_id].title, fmt_number(n_new), fmt_number(n_rev)))
    before_status = {r.indicator.id: r for r in assess_framework(prev)}
    changes: list[tuple[str, ...]] = []
    badges: list[Badge | None] = []
    for r in results:
        was = before_status.get(r.indicator.id)
        if was is not None and was.status is not r.status:
            illustrative = _has_illustrative(now_data, r.indicator.id)
            changes.append((r.indicator.title, headline_label(was), _progress_badge(r, illustrative).label))
            badges.append(_progress_badge(r, illustrative))
    amb_changes: list[str] = []
    for ind_id, ind in now_data.indicators.items():
        old_ind = prev.indicators.get(ind_id)
        old_set = {_ambition_text(a, old_ind) for a in old_ind.ambitions} if old_ind else set()
        new_set = {_ambition_text(a, ind) for a in ind.ambitions}
        for a in sorted(new_set - old_set):
            amb_changes.append(_("{indicator}: new or changed ambition {ambition}").format(indicator=ind.title, ambition=a))
        for a in sorted(old_set - new_set):
            amb_changes.append(_("{indicator}: ambition {ambition} withdrawn").format(indicator=ind.title, ambition=a))
    blocks: list[Block] = [
        Paragraph(
            _("Compared with {period} ({date}): {new} new and {revised} revised observations.").format(
                period=inp.previous_period.title,
                date=fmt_date(inp.previous_period.date),
                new=fmt_number(new_obs),
                revised=fmt_number(revised),
            )
        )
    ]
    sections = [Section(None, tuple(blocks))]
    if per_indicator:
        sections.append(
            Section(
                _("New data"),
                (TableBlock((_("Indicator"), _("New"), _("Revised")), tuple(per_indicator)),),
            )
        )
    sections.append(
        Section(
            _("Status changes"),
            (
                TableBlock((_("Indicator"), _("Before"), _("Now")), tuple(changes), badges=tuple(badges), badge_column=2)
                if changes
                else Paragraph(_("No indicator changed status.")),
            ),
        )
    )
    sections.append(
        Section(_("Ambitions"), (Bullets(tuple(amb_changes)) if amb_changes else Paragraph(_("No ambition changed.")),))
    )
    return Slide("since-last", "since_last", title, tuple(sections))


def _overview(inp: ReportInputs, results: list[IndicatorResult]) -> Slide:
    rows, badges = [], []
    ordered = [r for g in inp.data.framework.goals for r in _order_indicators(inp, g.id, results)]
    for r in ordered:
        if r.indicator.kind is not IndicatorKind.INDICATOR:
            continue
        illustrative = _has_illustrative(inp.data, r.indicator.id)
        value, period = _latest(inp, r.indicator)
        if illustrative and value != "-":
            period = _("{period}, illustrative data").format(period=period)
        ambition = "; ".join(_ambition_text(a, r.indicator) for a in r.indicator.ambitions if not a.scope)
        if r.indicator.projection_only:
            ambition = _("projection only")
        rows.append(
            (
                r.indicator.goal,
                r.indicator.title,
                _progress_badge(r, illustrative).label,
                f"{value} ({period})" if value != "-" else "-",
                ambition or "-",
                _attainment_text(r),
            )
        )
        badges.append(_progress_badge(r, illustrative))
    table = TableBlock(
        (_("Goal"), _("Indicator"), _("Status"), _("Latest value"), _("Ambition"), _("Expected attainment")),
        tuple(rows),
        caption=_(
            "Every indicator in goal order: computed status towards its ambition (without one, the trend), "
            "latest value, ambition and when the projection reaches it. A pale badge rests on illustrative data."
        ),
        badges=tuple(badges),
        badge_column=2,
    )
    return Slide("overview", "overview", _("Overview of the indicators"), (Section(None, (table,)),))


def freshness(data: FrameworkData, on: date) -> list[tuple[Indicator, str, date | None, bool]]:
    """Per indicator with a frequency: latest period, date the next figure is due, overdue?"""
    out: list[tuple[Indicator, str, date | None, bool]] = []
    for ind in data.indicators.values():
        if ind.update_frequency is None:
            continue
        table = data.observations.get(ind.id)
        periods = [Period.parse(p) for p in table.periods] if table is not None and len(table) else []
        if not periods:
            out.append((ind, "-", None, True))
            continue
        latest = max(periods)
        due = latest.end + FREQUENCY_STEP[ind.update_frequency] + PUBLICATION_LAG[ind.update_frequency]
        out.append((ind, str(latest), due, on > due))
    return out


def _freshness_slide(data: FrameworkData, on: date) -> Slide:
    rows = []
    for ind, latest, due, overdue in freshness(data, on):
        rows.append(
            (
                ind.title,
                label(ind.update_frequency) if ind.update_frequency else "-",
                fmt_period(latest) if latest != "-" else _("no data"),
                fmt_date(due) if due else "-",
                _("overdue") if overdue else _("up to date"),
            )
        )
    rows.sort(key=lambda r: (r[4] != _("overdue"), r[0]))
    n_over = sum(1 for r in rows if r[4] == _("overdue"))
    return Slide(
        "freshness",
        "freshness",
        _("Data freshness"),
        (
            Section(
                None,
                (
                    Paragraph(
                        _(
                            "{n} of {m} indicators with an update frequency have a newer figure due by {date} "
                            "(the end of the latest period, one period more, and the usual publication lag)."
                        ).format(n=n_over, m=len(rows), date=fmt_date(on))
                    ),
                    TableBlock(
                        (_("Indicator"), _("Frequency"), _("Latest period"), _("Next figure due"), _("State")),
                        tuple(rows),
                    ),
                ),
            ),
        ),
    )


def _goal_results(results: list[IndicatorResult], goal_id: str) -> list[IndicatorResult]:
    return [r for r in results if r.indicator.goal == goal_id]


def _computed_summary(rs: list[IndicatorResult], data: FrameworkData) -> str | None:
    counts: dict[str, int] = {}
    for r in rs:
        if r.indicator.kind is IndicatorKind.INDICATOR and r.status is not Status.NOT_ASSESSED:
            key = _progress_badge(r, _has_illustrative(data, r.indicator.id)).label
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    return _("Computed status of the goal's indicators: {counts}.").format(
        counts=", ".join(f"{k} ({v})" for k, v in counts.items())
    )


def _selected_lines(a: GoalAssessment, data: FrameworkData) -> tuple[str, ...]:
    subgoals = {s.code: s for g in data.framework.goals for s in g.subgoals}
    lines = []
    for item in a.selected:
        if item.subgoal is not None:
            sub = subgoals.get(item.subgoal)
            if item.text is not None:
                text = item.text  # as worded (Markdown-lite)
            else:
                text = _("Subgoal {code} {title}").format(code=item.subgoal, title=_md_escape(sub.title) if sub else "")
            lines.append(f"[{text}]({sub.url})" if sub is not None and sub.url else text)
        elif item.indicator is not None and item.text is not None:
            lines.append(f"[{item.text}](#indicator-{item.indicator})")  # as worded (Markdown-lite), to its slide
        elif item.indicator is not None:
            ind = data.indicators.get(item.indicator)
            title = ind.title if ind else item.indicator
            lines.append(_("Indicator: {title}").format(title=_md_escape(title)))
        elif item.text is not None:
            lines.append(f"[{_md_escape(item.text)}]({item.url})" if item.url else item.text)
    return tuple(lines)


def _goal_slide(inp: ReportInputs, goal_id: str, results: list[IndicatorResult]) -> Slide:
    data = inp.data
    goal = data.framework.goal(goal_id)
    assert goal is not None
    title = _("Status summary, goal {n}").format(n=goal.id)
    assessment = next((a for a in (inp.period.assessments if inp.period else []) if a.goal == goal_id), None)
    rs = _goal_results(results, goal_id)
    computed = _computed_summary(rs, data)
    if assessment is None:
        return _goal_by_status(goal_id, title, goal.title, rs, computed, data)
    b = assessment_badge(assessment.status)
    badge = Badge(b.label, b.colour, b.text_colour, "assessment")
    overall: list[Block] = []  # the badge itself stands beside the title (Slide.badge)
    if assessment.status is AssessmentStatus.NOT_STATED and assessment.status_note:
        overall.append(Paragraph(f"*{_md_escape(assessment.status_note)}*"))
    overall.append(Bullets(tuple(assessment.summary)))
    if computed:
        overall.append(Paragraph(computed))
    sections = [
        Section(_("Overall status"), tuple(overall), "main"),
        Section(_("Selected indicators and strategic subgoals"), (Bullets(_selected_lines(assessment, data)),), "side"),
        Section(_("Positive events"), (Bullets(tuple(assessment.positive_events)),), "full"),
        Section(_("Challenges"), (Bullets(tuple(assessment.challenges)),), "full"),
        Section(_("Important strategic questions"), (Bullets(tuple(assessment.strategic_questions), ordered=True),), "full"),
    ]
    extra: list[Block] = []
    if assessment.footnotes:
        extra.append(Bullets(tuple(assessment.footnotes)))
    if assessment.links:
        extra.append(Bullets(tuple(f"[{u}]({u})" for u in assessment.links)))
    if extra:
        sections.append(Section(_("Footnotes and links"), tuple(extra), "full"))
    notes = "\n\n".join(
        f"{r.indicator.title}: {marked(explain_indicator(r), _has_illustrative(data, r.indicator.id))}"
        for r in rs
        if r.indicator.kind is IndicatorKind.INDICATOR
    )
    return Slide(f"goal-{goal_id}", "goal", title, tuple(sections), subtitle=goal.title, notes=notes, badge=badge)


def _goal_by_status(
    goal_id: str, title: str, subtitle: str, rs: list[IndicatorResult], computed: str | None, data: FrameworkData
) -> Slide:
    """A goal without an assessment (e.g. an imported SDG framework): indicators by their
    headline (the status towards an ambition, else the trend), verdicts first."""
    groups: dict[str, tuple[Badge, list[str]]] = {}
    for r in sorted(rs, key=lambda r: (not is_verdict(r), list(Status).index(r.status))):
        b = _progress_badge(r, _has_illustrative(data, r.indicator.id))
        groups.setdefault(b.label, (b, []))[1].append(r.indicator.title)
    sections = []
    if computed:
        sections.append(Section(None, (Paragraph(computed),)))
    for name, (b, titles) in groups.items():
        sections.append(Section(f"{name} ({len(titles)})", (b, Bullets(tuple(_md_escape(t) for t in titles)))))
    if not sections:
        sections.append(Section(None, (Paragraph(_("The goal has no indicators yet.")),)))
    return Slide(f"goal-{goal_id}", "goal", title, tuple(sections), subtitle=subtitle)


def _about(ind: Indicator, r: IndicatorResult) -> Section:
    facts = [(_("Source"), sources_text(ind))]
    if ind.update_frequency is not None:
        facts.append((_("Updated"), label(ind.update_frequency)))
    facts.append((_("Unit"), ind.unit_label or label(ind.unit)))
    if ind.subgoals:
        facts.append((_("Subgoals"), ", ".join(ind.subgoals)))
    blocks: list[Block] = [Paragraph(ind.definition), Facts(tuple(facts))]
    if ind.status_note:
        blocks.append(Callout(_("Note"), ind.status_note, "note"))
    heading = _("About the statistic") if ind.kind is IndicatorKind.STATISTIC else _("About the indicator")
    return Section(heading, tuple(blocks), "main")


def ambition_callout(ind: Indicator) -> Callout | None:
    if ind.kind is IndicatorKind.STATISTIC:
        return None
    if ind.projection_only:
        return Callout(_("Proposed ambition"), _("No ambition level proposed; illustrated projection only"), "note")
    national = [a for a in ind.ambitions if not a.scope]
    if not ind.ambitions:
        return Callout(_("Ambition"), _("No ambition level set"), "note")
    shown = national or ind.ambitions
    kind = _("Proposed ambition") if all(a.state.value == "proposed" for a in shown) else _("Adopted ambition")
    text = "; ".join(_ambition_text(a, ind) for a in shown)
    if national and len(ind.ambitions) > len(national):
        text += " " + _("(also per {dims})").format(
            dims=", ".join(sorted({_dim_title(ind, d) for a in ind.ambitions for d in a.scope}))
        )
    goods = [a.good_level for a in shown if a.good_level is not None]
    if goods:
        text += " " + _("({level} counts as good)").format(level=fmt_value(goods[0], ind.unit))
    return Callout(kind, text, "ambition")


def _dim_title(ind: Indicator, dim_id: str) -> str:
    """A dimension's title inside a sentence: '(also per helseregion)'."""
    return dimension_title(ind, dim_id).lower()


def _series_name(ind: Indicator, s: SeriesResult) -> str:
    return series_name(ind, s.scope)


def _indicator_slide(inp: ReportInputs, r: IndicatorResult) -> tuple[Slide, ChartSpec | None]:
    ind = r.indicator
    chart_id = f"chart-{ind.id}"
    chart = inp.chart_for(r, inp.data, chart_id)
    kind: SlideKind = "survey" if ind.survey is not None else ("statistic" if ind.kind is IndicatorKind.STATISTIC else "indicator")
    main: list[Section] = [_about(ind, r)]
    if ind.main_message:  # the report's own headline for the slide ("Hovedbudskap"), first
        main.insert(0, Section(_("Main message"), (Paragraph(f"**{_md_escape(ind.main_message)}**"),), "main"))
    if ind.survey is not None:
        survey_facts = [(_("Question"), ind.survey.question)]
        if ind.survey.base:
            survey_facts.append((_("Asked"), ind.survey.base))
        if ind.survey.multiple_answers:
            survey_facts.append((_("Answers"), _("several answers allowed")))
        main.append(Section(_("The question"), (Facts(tuple(survey_facts)),), "main"))
    if ind.ambition_assessment:
        main.append(Section(_("Assessment of the ambition"), (Paragraph(ind.ambition_assessment),), "main"))
    side_blocks: list[Block] = []
    if chart is not None:
        side_blocks.append(ChartBlock(chart.id))
    else:
        side_blocks.append(Paragraph(_("No observations to draw yet.")))
    callout = ambition_callout(ind)
    if callout is not None:
        side_blocks.append(callout)
    progress_blocks: list[Block] = []
    per_series: Bullets | None = None
    others: list[SeriesResult] = []
    badge = None
    illustrative = _has_illustrative(inp.data, ind.id)
    if kind == "indicator":
        badge = _progress_badge(r, illustrative)
        progress_blocks = [badge, Paragraph(marked(explain_indicator(r), illustrative))]
        if illustrative and is_verdict(r) and has_ambition(r):
            # beside the report's own words, so that the computed status never stands in for them
            caveat = (
                _(
                    "This status is computed from illustrative data and is not an assessment: the report's own "
                    "assessment is the one under «{heading}»."
                ).format(heading=_("Assessment of the ambition"))
                if ind.ambition_assessment
                else _("This status is computed from illustrative data and is not an assessment.")
            )
            note = Callout(_("Note"), caveat, "warning")
            if _words(b for sec in main for b in sec.blocks) + _words([note]) <= _COLUMN_WORDS:
                main.append(Section(None, (note,), "main"))
            else:  # the text column is full: the caveat stays with the status
                progress_blocks.append(note)
        others = [s for s in r.series if s is not r.headline and s.progress is not None and s.ambition is not None]
        if others:
            per_series = Bullets(tuple(_series_line(ind, s, illustrative) for s in others))
    elif r.headline is not None or r.series:
        progress_blocks = [Paragraph(marked(explain_indicator(r), illustrative))]
    sections = [*main, Section(_progress_heading(inp, r), tuple(side_blocks), "side")]
    if progress_blocks:
        # the status goes under the chart, its per-series lines too, unless the chart column
        # would run over the slide while the text column has room (a near-empty continuation
        # slide otherwise): then the per-series lines, or the whole status, go to the text column
        status_title = _("Computed status") if kind == "indicator" else _("Development")
        main_words = _words(b for sec in sections if sec.area == "main" for b in sec.blocks)
        side_words = _CHART_WORDS + _words(b for b in side_blocks if not isinstance(b, ChartBlock))
        status_words = _words(progress_blocks)
        series_words = _words([per_series]) if per_series is not None else 0
        if side_words + status_words + series_words <= _COLUMN_WORDS:
            sections.append(Section(status_title, (*progress_blocks, *([per_series] if per_series else [])), "side"))
        elif main_words + status_words + series_words <= _COLUMN_WORDS:
            sections.append(Section(status_title, (*progress_blocks, *([per_series] if per_series else [])), "main"))
        elif per_series is not None and main_words + series_words <= _COLUMN_WORDS:
            sections.append(Section(status_title, tuple(progress_blocks), "side"))
            sections.insert(len(main), Section(_series_heading(ind, others), (per_series,), "main"))
        else:
            sections.append(Section(status_title, (*progress_blocks, *([per_series] if per_series else [])), "side"))
    extra: list[Block] = []
    if ind.footnotes:
        extra.append(Bullets(tuple(ind.footnotes)))
    if ind.links:
        extra.append(Bullets(tuple(f"[{u}]({u})" for u in ind.links)))
    if extra:  # in the main column, under the indicator's text, where the seed has them, if they fit
        fits = _words(b for sec in sections if sec.area == "main" for b in sec.blocks) + _words(extra) <= _COLUMN_WORDS
        # (when they do not, full width before the chart: the text then fills one slide and the
        # chart and status the next, rather than a text column beside an empty one)
        sections.insert(len(main), Section(_("Footnotes and links"), tuple(extra), "main" if fits else "full"))
    score = method_note(r)
    notes = "\n\n".join(
        [f"{_series_name(ind, s)}: {marked(explain_series(ind, s), illustrative)}" for s in r.series]
        + ([score] if score else [])
        + ([chart.provenance] if chart is not None else [])
    )
    subtitle = None
    if inp.period is not None and inp.period.slide_order and ind.id not in inp.period.slide_order:
        subtitle = _("Added by Veikart: the status report has no slide of its own for this indicator.")
    return Slide(f"indicator-{ind.id}", kind, ind.title, tuple(sections), subtitle=subtitle, notes=notes, badge=badge), chart


#: About how many words of body text one column of a slide holds, and how many a chart takes up:
#: rough measures (from the bundled default's PDF) for putting the status where it fits.
_COLUMN_WORDS = 260
_CHART_WORDS = 170


def _words(blocks: Iterable[Block]) -> int:
    n = 0
    for b in blocks:
        if isinstance(b, Paragraph):
            n += len(b.text.split())
        elif isinstance(b, Bullets):
            n += sum(len(i.split()) + 2 for i in b.items)
        elif isinstance(b, Facts):
            n += sum(len(k.split()) + len(v.split()) + 2 for k, v in b.items)
        elif isinstance(b, Callout):
            n += len(b.text.split()) + 6
        elif isinstance(b, Badge):
            n += 6
    return n


def _series_heading(ind: Indicator, series: list[SeriesResult]) -> str:
    """'Beregnet status per helseregion': the dimensions the series differ by."""
    dims = sorted({_dim_title(ind, d) for s in series for d in s.scope})
    return _("Computed status by {dimensions}").format(dimensions=", ".join(dims))


def _series_line(ind: Indicator, s: SeriesResult, illustrative: bool) -> str:
    """'**Helse Nord**: I rute – ventes nådd 2032, etter fristen' (a sub-series with an ambition)."""
    assert s.progress is not None
    text = progress_label(s.progress.status.value)
    if illustrative:
        text = _("{status} (illustrative data)").format(status=text)
    proj = s.projection
    if proj is not None and proj.expected_attainment is not None:
        text += " – " + _("expected {year}").format(year=fmt_year(proj.expected_attainment))
    elif proj is not None:
        text += " – " + _("not before {year}").format(year=fmt_year(proj.not_before or 2100))
    if after_deadline(s) and s.ambition is not None:
        text += ", " + _("after the deadline {deadline}").format(deadline=fmt_deadline(s.ambition.deadline))
    return f"**{_md_escape(_series_name(ind, s))}**: {text}"


def _progress_heading(inp: ReportInputs, r: IndicatorResult) -> str:
    """The heading over the chart: the source report's own where it has one; 'Progress towards
    <horizon>' only where the chart shows progress towards an ambition; else 'Figure'."""
    ind = r.indicator
    own = ind.progress_heading
    if own and inp.lang != "nb":
        own = ind.translations.get(inp.lang, {}).get("progress_heading", own)
    if own:
        return own
    if has_ambition(r):
        return _("Progress towards {year}").format(year=inp.data.framework.horizon_year)
    return _("Chart")


def method_slide(inp: ReportInputs) -> Slide:
    data = inp.data
    method = Bullets(
        (
            _(
                "Status with an ambition: the ratio of the observed to the required compound annual growth "
                "since the base year (Eurostat); on track from 95%, acceleration needed from 60%."
            ),
            _(
                "Status without an ambition: the observed compound annual growth against 1.5% and 0.5% a "
                "year in the desired direction (Statistics Canada), scaled near a natural limit."
            ),
            _("Scores run from -5 to +5; an indicator's status is its total series, else the mean score of its series."),
            _(
                "Projections follow the model named for each indicator (compound growth, linear trend or "
                "logistic saturation) with an 80% band from the fit's residuals."
            ),
            _("Base year {year}; periods count at their midpoint.").format(year=data.framework.base_year),
            _(
                "Without an ambition there is no verdict: the trend is given in words (increasing, decreasing, "
                "stable: a yearly change under 0.5%); the score stands in the notes."
            ),
            _(
                "No projection from fewer than {n} observations; a target at the natural limit counts as "
                "reached within 0.5% of the limit's range (99.5% of 100%)."
            ).format(n=MIN_PROJECTION_OBSERVATIONS),
            _("A status resting on illustrative data is marked «illustrative data» on a pale badge and in every sentence."),
        )
    )
    sources: dict[str, str] = {}
    for ind in data.indicators.values():
        for s in ind.sources:
            name = s.organisation + (f": {s.name}" if s.name and s.name != s.organisation else "")
            sources[name] = f"[{_md_escape(name)}]({s.url})" if s.url else _md_escape(name)
    prov = Bullets(
        (
            _("**Published**: figures published by the named source."),
            _("**Stated in the status report**: figures stated in the status report of {date}.").format(
                date=fmt_date(inp.period.date) if inp.period else "-"
            ),
            _("**Illustrative data**: made up to draw a chart whose values cannot be read; not official figures."),
        )
    )
    sections = [
        Section(_("Method"), (method,), "main"),
        Section(_("Provenance of the data"), (prov,), "main"),
        Section(_("Sources"), (Bullets(tuple(sources[k] for k in sorted(sources))) if sources else Paragraph("-"),), "side"),
    ]
    if inp.period and inp.period.key_figures:
        rows = []
        for kf in inp.period.key_figures:
            rows.append(
                (
                    kf.label + (" " + _("(uncertain reading)") if kf.uncertain else ""),
                    f"«{kf.wording}»" if kf.wording else fmt_value(kf.value, kf.unit),
                    fmt_period(kf.period) if kf.period_stated else _("not stated"),
                    kf.source or "-",
                    label(kf.provenance),
                )
            )
        sections.append(
            Section(
                _("Figures quoted in the report"),
                (TableBlock((_("Figure"), _("Value"), _("Period"), _("Source"), _("Provenance")), tuple(rows)),),
                "full",
            )
        )
    vintage = inp.provenance.get("data_as_of")
    if vintage:
        sections.append(Section(None, (Paragraph(_("Data as known on {date}.").format(date=vintage)),), "full"))
    return Slide("method", "method", _("Method and sources"), tuple(sections))


def _order_indicators(inp: ReportInputs, goal_id: str, results: list[IndicatorResult]) -> list[IndicatorResult]:
    """The goal's indicators: in the period's slide order (the report as published) when it has
    one, else those the assessment selects first, in its order; then the rest."""
    rs = _goal_results(results, goal_id)
    assessment = next((a for a in (inp.period.assessments if inp.period else []) if a.goal == goal_id), None)
    if inp.period is not None and inp.period.slide_order:
        order = list(inp.period.slide_order)
    else:
        order = [i.indicator for i in assessment.selected if i.indicator] if assessment else []
    rank = {ind_id: n for n, ind_id in enumerate(order)}
    return sorted(rs, key=lambda r: (rank.get(r.indicator.id, len(rank)),))


_CONTENTS_KINDS = ("since_last", "overview", "freshness", "goal", "method")


def _contents_line(s: Slide) -> str:
    title = s.title + (f": {s.subtitle}" if s.subtitle else "")
    return f"[{_md_escape(title)}](#{s.id})"


def compose_report(inp: ReportInputs) -> Report:
    # the framework's titles, units and labels in the report's language where it has them
    inp = replace(
        inp,
        data=localised(inp.data, inp.lang),
        previous=localised(inp.previous, inp.lang) if inp.previous is not None else None,
        period=localised_period(inp.data, inp.period, inp.lang),
        previous_period=localised_period(inp.data, inp.previous_period, inp.lang),
    )
    data = inp.data
    fw = data.framework
    per = inp.period
    report_date = per.date if per else date.today()
    results = inp.results if inp.results is not None else assess_framework(
        data, now=date_as_fractional_year(report_date) if per else None
    )
    charts: dict[str, ChartSpec] = {}
    body: list[Slide] = []
    for goal in fw.goals:
        body.append(_goal_slide(inp, goal.id, results))
        for r in _order_indicators(inp, goal.id, results):
            slide, chart = _indicator_slide(inp, r)
            body.append(slide)
            if chart is not None:
                charts[chart.id] = chart
    head = [since_last_slide(inp, results), _overview(inp, results), _freshness_slide(data, report_date)]
    tail = [method_slide(inp)]
    listed = head + body + tail
    contents_blocks: list[Block] = [Bullets(tuple(_contents_line(s) for s in listed if s.kind in _CONTENTS_KINDS))]
    if fw.languages and inp.lang != fw.languages[0]:
        contents_blocks.append(
            Paragraph(
                _(
                    "*Titles of goals, subgoals and indicators, units and categories are our translations where "
                    "the framework has them. The status report's own prose (goal summaries, assessments of the "
                    "ambitions, footnotes) is quoted in the original language, as published.*"
                )
            )
        )
    contents = Slide("contents", "contents", _("Contents"), (Section(None, tuple(contents_blocks)),))
    slides = (_title_slide(inp), contents, *listed)
    any_illustrative = any(c.illustrative for c in charts.values()) or any(
        _has_illustrative(data, i) for i in data.indicators
    )
    footer_title = per.title if per else fw.title
    return Report(
        title=slides[0].title,
        subtitle=slides[0].subtitle or "",
        date_text=fmt_date(report_date),
        period_id=per.id if per else "",
        lang=inp.lang,
        slides=slides,
        charts=charts,
        footer=f"{footer_title} · {fmt_date(report_date)}",
        illustrative_notice=illustrative_notice() if any_illustrative else "",
        provenance=inp.provenance,
    )
