"""User-facing labels for the model's enum values and the progress categories, in both languages.

Every label is a msgid (English) marked with ``N_()``; its bokmål translation is in the message
catalogue. The accessors translate at call time, into the current language or the one asked for::

    label(Frequency.ANNUAL)               # 'årlig' (nb), 'annual' (en)
    label(Frequency.ANNUAL, lang="en")    # 'annual'
    choices(Unit)                         # {Unit.PERCENT: 'prosent', ...} in declaration order
    badge(AssessmentStatus.GOOD)          # Badge('God framdrift', '#009E73', '#000000')
    progress_label("on_track")            # 'I rute'
    progress_badge("deterioration")       # Badge('Utvikling i feil retning', '#D55E00', '#000000')
    reason_label("too_few_observations")  # 'for få observasjoner'

Labels of enum values are lower case for use inside a sentence or a table cell; status names
(assessment statuses, progress categories) are capitalised, as they stand alone on a badge.

Colours are from the Okabe-Ito palette, which stays distinguishable with the common forms of
colour blindness; a colour is never the only carrier of meaning, so every colour comes with its
text label. ``Badge.text_colour`` is black or white, whichever contrasts more with the fill.

Progress categories are plain string ids (methodology.md's table; ``veikart.core.progress.Status``
values), so this module does not import the progress code.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from veikart.core.model import (
    AmbitionState,
    AssessmentStatus,
    DimensionRole,
    Direction,
    Flag,
    Frequency,
    IndicatorKind,
    PeriodState,
    ProjectionModel,
    Provenance,
    Unit,
)
from veikart.i18n import N_, current_language, translations

__all__ = [
    "ASSESSMENT_COLOURS",
    "ENUM_LABELS",
    "PROGRESS_COLOURS",
    "PROGRESS_LABELS",
    "PROGRESS_STATUSES",
    "REASON_LABELS",
    "Badge",
    "all_msgids",
    "badge",
    "choices",
    "label",
    "progress_badge",
    "progress_label",
    "reason_label",
    "text_colour",
    "translate",
]

# --- Okabe-Ito palette ---------------------------------------------------------------------

BLUE = "#0072B2"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
SKY_BLUE = "#56B4E9"
GREY = "#999999"
LIGHT_GREY = "#CCCCCC"

# --- enum values ---------------------------------------------------------------------------

#: msgid of every member of every enum of the model whose values a user sees.
ENUM_LABELS: dict[type[Enum], dict[Enum, str]] = {
    IndicatorKind: {
        IndicatorKind.INDICATOR: N_("indicator"),
        IndicatorKind.STATISTIC: N_("statistic"),
    },
    Frequency: {
        Frequency.ANNUAL: N_("annual"),
        Frequency.QUARTERLY: N_("quarterly"),
        Frequency.MONTHLY: N_("monthly"),
        Frequency.CONTINUOUS: N_("continuous"),
    },
    Direction: {
        Direction.HIGHER_IS_BETTER: N_("higher is better"),
        Direction.LOWER_IS_BETTER: N_("lower is better"),
        Direction.NONE: N_("no desired direction"),
    },
    Unit: {
        Unit.PERCENT: N_("percent"),
        Unit.COUNT: N_("count"),
        Unit.DAYS: N_("days"),
        Unit.NUMBER: N_("number"),
        Unit.INDEX: N_("index"),
        Unit.SCORE: N_("score"),
        Unit.PER_1000: N_("per 1,000"),
        Unit.PER_100000: N_("per 100,000"),
        Unit.NOK: N_("Norwegian kroner"),
    },
    AmbitionState: {
        AmbitionState.PROPOSED: N_("proposed"),
        AmbitionState.ADOPTED: N_("adopted"),
    },
    Provenance: {
        Provenance.PUBLISHED: N_("published"),
        # TRANSLATORS: provenance "seed": the figure is quoted from the status report itself.
        Provenance.SEED: N_("stated in the status report"),
        # TRANSLATORS: provenance "illustrative": made up to draw a chart; never official figures.
        Provenance.ILLUSTRATIVE: N_("illustrative data"),
    },
    Flag: {
        Flag.PROVISIONAL: N_("provisional"),
        # TRANSLATORS: a value withheld from publication (small numbers, confidentiality).
        Flag.SUPPRESSED: N_("suppressed"),
        Flag.BREAK: N_("break in series"),
    },
    DimensionRole: {
        DimensionRole.DISAGGREGATION: N_("disaggregation"),
        DimensionRole.UNIT: N_("unit of measure"),
        DimensionRole.SERIES: N_("series"),
    },
    PeriodState: {
        PeriodState.DRAFT: N_("draft"),
        PeriodState.PUBLISHED: N_("published"),
    },
    AssessmentStatus: {
        AssessmentStatus.GOOD: N_("Good progress"),
        AssessmentStatus.SOME_CONCERNS: N_("Some concerns"),
        AssessmentStatus.SERIOUS_CONCERNS: N_("Serious concerns"),
        AssessmentStatus.NOT_STATED: N_("Not stated"),
    },
    ProjectionModel: {
        ProjectionModel.COMPOUND: N_("compound growth"),
        ProjectionModel.LINEAR: N_("linear trend"),
        ProjectionModel.LOGISTIC: N_("logistic saturation"),
    },
}

#: Fill colour of each overall goal status (green, amber, vermillion, grey).
ASSESSMENT_COLOURS: dict[AssessmentStatus, str] = {
    AssessmentStatus.GOOD: BLUISH_GREEN,
    AssessmentStatus.SOME_CONCERNS: ORANGE,
    AssessmentStatus.SERIOUS_CONCERNS: VERMILLION,
    AssessmentStatus.NOT_STATED: GREY,
}

# --- progress categories (methodology.md) --------------------------------------------------

#: The progress category ids, best first (``veikart.core.progress.Status`` values).
PROGRESS_STATUSES: tuple[str, ...] = (
    "target_achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "unable_to_assess",
    "not_assessed",
)

#: Category names exactly as in methodology.md's table (English msgid, bokmål in the catalogue).
PROGRESS_LABELS: dict[str, str] = {
    "target_achieved": N_("Target achieved"),
    "on_track": N_("On track"),
    "acceleration_needed": N_("Progress, acceleration needed"),
    "limited_progress": N_("Limited progress"),
    "deterioration": N_("Deterioration"),
    "unable_to_assess": N_("Unable to assess"),
    "not_assessed": N_("Not assessed (projection only)"),
}

#: A diverging scale from blue (achieved) through green, yellow and orange to vermillion;
#: greys for the two non-statuses.
PROGRESS_COLOURS: dict[str, str] = {
    "target_achieved": BLUE,
    "on_track": BLUISH_GREEN,
    "acceleration_needed": YELLOW,
    "limited_progress": ORANGE,
    "deterioration": VERMILLION,
    "unable_to_assess": GREY,
    "not_assessed": LIGHT_GREY,
}

#: Why a series could not be assessed (``veikart.core.progress.REASONS``, code 0 = None left out).
REASON_LABELS: dict[str, str] = {
    "no_observations": N_("no observations"),
    "no_base_observation": N_("no observation in or after the base year"),
    "too_few_observations": N_("too few observations from the base year on (at least two are needed)"),
    "span_under_one_year": N_("the observations span less than one year"),
    "mixed_signs": N_("the values have mixed signs"),
    "target_year_not_after_base": N_("the ambition's deadline is not after the base year"),
    "not_computable": N_("progress cannot be computed from these values"),
    "no_direction": N_("the indicator has no desired direction"),
}


# --- accessors -----------------------------------------------------------------------------


class Badge(NamedTuple):
    """A status as shown: its text label, fill colour and the text colour to write on it."""

    label: str
    colour: str
    text_colour: str


def translate(msgid: str, lang: str | None = None) -> str:
    """``msgid`` in ``lang`` (default: the current language)."""
    return translations(lang or current_language()).gettext(msgid)


def label(value: Enum, lang: str | None = None) -> str:
    """The label of an enum member of the model, e.g. ``label(Frequency.ANNUAL)`` -> 'årlig'."""
    try:
        msgid = ENUM_LABELS[type(value)][value]
    except KeyError:
        raise KeyError(f"no label for {value!r}") from None
    return translate(msgid, lang)


def choices(enum: type[Enum], lang: str | None = None) -> dict[Enum, str]:
    """Every member of ``enum`` with its label, in declaration order (for menus and legends)."""
    return {member: label(member, lang) for member in enum}


def badge(status: AssessmentStatus | str, lang: str | None = None) -> Badge:
    """An overall goal status with its label and colours."""
    status = AssessmentStatus(status)
    colour = ASSESSMENT_COLOURS[status]
    return Badge(label(status, lang), colour, text_colour(colour))


def progress_label(status: str, lang: str | None = None) -> str:
    """The name of a progress category id (or ``Status`` member), e.g. 'on_track' -> 'I rute'."""
    try:
        msgid = PROGRESS_LABELS[str(status)]
    except KeyError:
        raise KeyError(f"unknown progress category {status!r}") from None
    return translate(msgid, lang)


def progress_badge(status: str, lang: str | None = None) -> Badge:
    """A progress category with its name and colours."""
    colour = PROGRESS_COLOURS[str(status)]
    return Badge(progress_label(status, lang), colour, text_colour(colour))


def reason_label(reason: str, lang: str | None = None) -> str:
    """Why a series was not assessed, from a ``SeriesProgress.reason`` code."""
    try:
        msgid = REASON_LABELS[reason]
    except KeyError:
        raise KeyError(f"unknown reason {reason!r}") from None
    return translate(msgid, lang)


def text_colour(fill: str) -> str:
    """'#000000' or '#FFFFFF', whichever has the higher WCAG contrast ratio against ``fill``."""
    channels = [int(fill.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#FFFFFF"


def all_msgids() -> list[str]:
    """Every label msgid of this module (for the catalogue updater)."""
    ids: list[str] = []
    for table in ENUM_LABELS.values():
        ids.extend(table.values())
    ids.extend(PROGRESS_LABELS.values())
    ids.extend(REASON_LABELS.values())
    return ids
