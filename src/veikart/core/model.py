"""The strategy model: the vocabulary of design.md as typed, immutable values.

Pure: no I/O. Pydantic gives validation with precise field paths (which the package reader maps
to file, line and column) and the JSON Schema published in docs/package-format.md.

Text fields hold bokmål (the framework's first language) and may contain Markdown. A
`translations` map carries the same fields in other languages, e.g.
``translations: {en: {title: "...", definition: "..."}}``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from veikart.core.periods import MAX_YEAR, MIN_YEAR, Period, PeriodError

__all__ = [
    "FIELDS",
    "HINTS",
    "MAX_ABS_NUMBER",
    "MAX_N",
    "MESSAGES",
    "UNIT_BOUNDS",
    "Ambition",
    "AmbitionState",
    "AssessedSeries",
    "AssessmentStatus",
    "Dimension",
    "DimensionRole",
    "DimensionValue",
    "Direction",
    "Flag",
    "Framework",
    "Frequency",
    "Goal",
    "GoalAssessment",
    "Indicator",
    "IndicatorKind",
    "KeyFigure",
    "NaturalLimit",
    "Observation",
    "PeriodState",
    "ProjectionModel",
    "Provenance",
    "ReportingPeriod",
    "SelectedItem",
    "Source",
    "Subgoal",
    "Survey",
    "Unit",
]

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
URL_PATTERN = r"^https?://\S+$"
PERIOD_ID_PATTERN = r"^\d{4}-\d{2}$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN, max_length=40)]
Text = Annotated[str, StringConstraints(min_length=1)]
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
Translations = dict[Language, dict[str, str]]


class _Model(BaseModel):
    # No NaN or infinity (YAML's .nan, .inf): no figure of a strategy is one, and the open data's
    # JSON cannot hold them.
    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)


#: Error kinds raised by the model's own rules, with their English message templates. The
#: package reader translates them through the message catalogue (the templates are msgids).
MESSAGES: dict[str, str] = {
    "horizon_before_base": "horizon_year {horizon_year} is before base_year {base_year}",
    "limit_order": "lower limit {lower} is above upper limit {upper}",
    "statistic_with_ambition": "a statistic has no ambition by design",
    "projection_only_with_ambition": "a projection-only indicator cannot carry an ambition",
    "survey_dimension": "survey.answer_dimension {dimension!r} is not one of the indicator's dimensions",
    "duplicate_dimension": "dimension id {dimension!r} is declared twice",
    "bad_period": "{text!r} is not a period",
    "empty_value": "value is empty and the row is not flagged 'suppressed'",
    "published_without_source": "provenance 'published' needs a source",
    "selected_one": "give one of indicator, subgoal or text (an indicator or subgoal may have a text: its line as worded)",
    "number_too_large": "{input} is too large: numbers must be smaller than 10^15 in size",
    "year_out_of_range": "{input} is not within the years 1900-2200",
}

#: Where each error kind points, below the model that raised it (its rules check whole models).
FIELDS: dict[str, tuple[str, ...]] = {
    "horizon_before_base": ("horizon_year",),
    "limit_order": ("lower",),
    "statistic_with_ambition": ("ambitions",),
    "projection_only_with_ambition": ("ambitions",),
    "survey_dimension": ("survey", "answer_dimension"),
    "duplicate_dimension": ("dimensions",),
    "empty_value": ("value",),
    "published_without_source": ("source",),
}

#: How to fix each error kind (also msgids).
HINTS: dict[str, str] = {
    "horizon_before_base": "make horizon_year the same as base_year or later",
    "limit_order": "swap lower and upper",
    "statistic_with_ambition": "remove the ambitions, or make it kind: indicator",
    "projection_only_with_ambition": "remove the ambitions, or set projection_only: false",
    "survey_dimension": "declare the answer dimension under dimensions",
    "duplicate_dimension": "give each dimension its own id",
    "bad_period": "use 2025, 2025-Q3, 2025-07 or 2025-07-15",
    "empty_value": "give a number, or flag the row 'suppressed'",
    "published_without_source": "give a source id from the indicator's sources",
    "selected_one": "write one item per line: indicator: ID (with text: ... as worded), subgoal: CODE or text: ...",
    "number_too_large": "check the number; state large amounts in a larger unit (thousands, millions)",
    "year_out_of_range": "check the year",
}


def _error(kind: str, **ctx: object) -> PydanticCustomError:
    return PydanticCustomError(kind, MESSAGES[kind], ctx)


#: Numbers a package may hold (values, limits, ambitions, key figures) are smaller than this in
#: size: whole numbers up to it are exact in a float, and every output (tables, charts, open
#: data, both stores) writes them.
MAX_ABS_NUMBER = 1e15
#: The largest sample size n: what both stores keep in their integer column.
MAX_N = 2**31 - 1


def _bounded(v: float) -> float:
    if not -MAX_ABS_NUMBER < v < MAX_ABS_NUMBER:
        raise _error("number_too_large", input=int(v) if v.is_integer() else v)
    return v


Number = Annotated[float, AfterValidator(_bounded)]


def _in_years(d: date) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise _error("year_out_of_range", input=d.isoformat())
    return d


#: A date within the years every output handles (as periods are).
Date = Annotated[date, AfterValidator(_in_years)]


# --- enumerations --------------------------------------------------------------------------


class Frequency(StrEnum):
    """Update frequency (oppdateringsfrekvens): årlig, kvartalsvis, månedlig, løpende."""

    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    CONTINUOUS = "continuous"


class IndicatorKind(StrEnum):
    INDICATOR = "indicator"  # may carry an ambition
    STATISTIC = "statistic"  # context figures, no ambition by design


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NONE = "none"  # statistics that are followed, not steered


class ProjectionModel(StrEnum):
    COMPOUND = "compound"
    LINEAR = "linear"
    LOGISTIC = "logistic"


class Unit(StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    DAYS = "days"
    NUMBER = "number"
    INDEX = "index"
    SCORE = "score"
    PER_1000 = "per_1000"
    PER_100000 = "per_100000"
    NOK = "nok"


#: Values a unit can take at all (checked whatever the indicator's own natural limit says).
UNIT_BOUNDS: dict[Unit, tuple[float | None, float | None]] = {
    Unit.PERCENT: (0.0, 100.0),
    Unit.COUNT: (0.0, None),
    Unit.DAYS: (0.0, None),
    Unit.PER_1000: (0.0, 1000.0),
    Unit.PER_100000: (0.0, 100000.0),
}


class DimensionRole(StrEnum):
    """What a dimension's values are. A disaggregation splits a figure into parts (region, sex);
    its blank is the total. A unit or a series dimension (Open SDG's Units and Series columns)
    names different figures: each of its values has a headline of its own, the series whose
    disaggregations are all blank."""

    DISAGGREGATION = "disaggregation"
    UNIT = "unit"
    SERIES = "series"


class AmbitionState(StrEnum):
    PROPOSED = "proposed"  # foreslått
    ADOPTED = "adopted"  # vedtatt


class Provenance(StrEnum):
    PUBLISHED = "published"  # published by a named source
    SEED = "seed"  # stated in the seed status report
    ILLUSTRATIVE = "illustrative"  # made up to draw a chart the seed shows; never official


class Flag(StrEnum):
    PROVISIONAL = "provisional"
    SUPPRESSED = "suppressed"  # never published
    BREAK = "break"  # break in series before this observation


class PeriodState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class AssessmentStatus(StrEnum):
    """The editor's overall status for a goal, on a fixed scale (colour plus text label)."""

    GOOD = "good"
    SOME_CONCERNS = "some_concerns"
    SERIOUS_CONCERNS = "serious_concerns"
    NOT_STATED = "not_stated"


# --- framework tree ------------------------------------------------------------------------


class Subgoal(_Model):
    code: Code = Field(description="Roadmap code such as 1A")
    title: Text
    url: Url | None = None
    translations: Translations = {}


class Goal(_Model):
    id: Code = Field(description="Goal number or code, e.g. '1'")
    title: Text
    description: str | None = None
    subgoals: list[Subgoal] = []
    translations: Translations = {}


class Framework(_Model):
    id: Slug
    title: Text
    owner: Text
    base_year: int = Field(ge=1900, le=2200, description="Year progress is measured from")
    horizon_year: int = Field(ge=1900, le=2200, description="Year the strategy runs to")
    languages: list[Language] = Field(
        default=["nb", "en"], min_length=1, description="First is the language of text fields"
    )
    description: str | None = None
    url: Url | None = None
    goals: list[Goal] = []
    translations: Translations = {}

    @model_validator(mode="after")
    def _years(self) -> Framework:
        if self.horizon_year < self.base_year:
            raise _error("horizon_before_base", horizon_year=self.horizon_year, base_year=self.base_year)
        return self

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def subgoal_codes(self) -> set[str]:
        return {s.code for g in self.goals for s in g.subgoals}


# --- indicators ----------------------------------------------------------------------------


class Source(_Model):
    id: Slug = Field(description="Referenced from observations' `source` column")
    organisation: Text
    name: str | None = None
    url: Url | None = None


class DimensionValue(_Model):
    code: Code
    label: str | None = None
    translations: Translations = {}


class Dimension(_Model):
    id: Slug = Field(description="Column name in the observation CSV")
    title: Text
    values: list[DimensionValue] = Field(min_length=1)
    role: DimensionRole = Field(
        default=DimensionRole.DISAGGREGATION,
        description="unit or series: each value has its own headline (Open SDG's Units, Series)",
    )
    translations: Translations = {}

    def codes(self) -> list[str]:
        return [v.code for v in self.values]


class NaturalLimit(_Model):
    lower: Number | None = None
    upper: Number | None = None

    @model_validator(mode="after")
    def _ordered(self) -> NaturalLimit:
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise _error("limit_order", lower=self.lower, upper=self.upper)
        return self


class Survey(_Model):
    """A survey question: a statistic whose dimension `answer_dimension` holds the answers."""

    question: Text
    answer_dimension: Slug
    multiple_answers: bool = False
    base: str | None = Field(default=None, description="Who was asked, e.g. a subgroup")


class Ambition(_Model):
    value: Number
    unit: Unit
    deadline: Date
    scope: dict[Slug, Code] = Field(
        default={}, description="Empty for national; else dimension -> value, e.g. region: helse-vest"
    )
    state: AmbitionState = AmbitionState.PROPOSED
    label: str | None = Field(default=None, description="As worded, e.g. '100 % innen 2030'")
    rationale: str | None = None
    good_level: Number | None = Field(default=None, description="Level counted as good, if stated")
    translations: Translations = {}


class AssessedSeries(_Model):
    """One series the indicator's status is made of, with its own settings (Open SDG's blocks of
    progress_calculation_options). The scope selects it as an ambition's does; a unit or series
    dimension it leaves out may take any value (each of its headlines)."""

    scope: dict[Slug, Code] = Field(default={}, description="Dimension -> value; {} = the headline")
    direction: Direction | None = Field(default=None, description="Default: the indicator's")
    base_year: int | None = Field(default=None, ge=1900, le=2200, description="Default: the indicator's")
    limit: float | None = Field(
        default=None, description="Natural limit in the desired direction (the C factor); default: the indicator's"
    )


class Indicator(_Model):
    id: Slug
    kind: IndicatorKind = IndicatorKind.INDICATOR
    title: Text
    goal: Code
    subgoals: list[Code] = []
    definition: Text
    unit: Unit
    unit_label: str | None = Field(default=None, description="e.g. 'andel av kommunene'")
    direction: Direction = Direction.HIGHER_IS_BETTER
    natural_limit: NaturalLimit | None = None
    sources: list[Source] = []
    update_frequency: Frequency | None = None
    dimensions: list[Dimension] = []
    status_note: str | None = Field(default=None, description="e.g. 'under utvikling'")
    projection_model: ProjectionModel = ProjectionModel.COMPOUND
    projection_only: bool = False
    base_year: int | None = Field(default=None, ge=1900, le=2200, description="Overrides the framework's")
    survey: Survey | None = None
    ambition_assessment: str | None = Field(default=None, description="Vurdering av ambisjon")
    main_message: str | None = Field(
        default=None, description="The slide's main message as the report words it ('Hovedbudskap')"
    )
    progress_heading: str | None = Field(
        default=None,
        description="The heading over the chart as the source report words it, e.g. 'Framdrift mot 2025'; "
        "default: 'Framdrift mot <horizon>' where the chart shows progress towards an ambition",
    )
    ambitions: list[Ambition] = []
    assessed_series: list[AssessedSeries] = Field(
        default=[],
        description="The series the status is the mean of; empty: the headline (docs/progress.md)",
    )
    footnotes: list[str] = []
    links: list[Url] = []
    translations: Translations = {}

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.kind is IndicatorKind.STATISTIC and self.ambitions:
            raise _error("statistic_with_ambition")
        if self.projection_only and self.ambitions:
            raise _error("projection_only_with_ambition")
        if self.survey is not None and self.survey.answer_dimension not in {d.id for d in self.dimensions}:
            raise _error("survey_dimension", dimension=self.survey.answer_dimension)
        seen: set[str] = set()
        for d in self.dimensions:
            if d.id in seen:
                raise _error("duplicate_dimension", dimension=d.id)
            seen.add(d.id)
        return self

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def bounds(self) -> tuple[float | None, float | None]:
        """Values outside these cannot occur: what the unit allows (a percentage is 0-100),
        narrowed by the natural limit."""
        lo, hi = UNIT_BOUNDS.get(self.unit, (None, None))
        if self.natural_limit is not None:  # narrows what the unit allows, never widens it
            if (nl := self.natural_limit.lower) is not None:
                lo = nl if lo is None else max(lo, nl)
            if (nu := self.natural_limit.upper) is not None:
                hi = nu if hi is None else min(hi, nu)
        return lo, hi


# --- observations --------------------------------------------------------------------------


class Observation(_Model):
    """One value of one series. The series key is the mapping dimension -> value code;
    a dimension left out (blank in CSV) means the total over that dimension."""

    series: dict[Slug, Code] = {}
    period: str
    value: Number | None
    n: int | None = Field(default=None, ge=0, le=MAX_N, description="Sample size, for surveys")
    flags: frozenset[Flag] = frozenset()
    provenance: Provenance
    source: Slug | None = None
    note: str | None = None

    @field_validator("period", mode="before")
    @classmethod
    def _period_from_date(cls, v: object) -> object:
        return v.isoformat() if isinstance(v, date) else v  # YAML reads 2024-07-15 as a date

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        try:
            return str(Period.parse(v))
        except PeriodError:
            raise _error("bad_period", text=v) from None

    @model_validator(mode="after")
    def _value(self) -> Observation:
        if self.value is None and Flag.SUPPRESSED not in self.flags:
            raise _error("empty_value")
        if self.provenance is Provenance.PUBLISHED and not self.source:
            raise _error("published_without_source")
        return self

    @property
    def series_key(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.series.items()))


# --- reporting periods and assessments ------------------------------------------------------



class SelectedItem(_Model):
    """A line under 'Utvalgte indikatorer og strategiske delmål': one of indicator, subgoal or
    free text (with an optional link). An indicator or subgoal may carry the line's text as the
    report words it; the deck shows that text, linked to the indicator's slide or the subgoal's
    page."""

    indicator: Slug | None = None
    subgoal: Code | None = None
    text: str | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _one(self) -> SelectedItem:
        if sum(x is not None for x in (self.indicator, self.subgoal)) + (self.text is not None) != 1 and not (
            (self.indicator is None) != (self.subgoal is None) and self.text is not None
        ):
            raise _error("selected_one")
        return self


class GoalAssessment(_Model):
    goal: Code
    status: AssessmentStatus = AssessmentStatus.NOT_STATED
    status_note: str | None = None
    summary: list[Text] = []
    selected: list[SelectedItem] = []
    positive_events: list[Text] = []
    challenges: list[Text] = []
    strategic_questions: list[Text] = []
    footnotes: list[Text] = []
    links: list[Url] = []
    translations: Translations = {}


class KeyFigure(_Model):
    """A number quoted in the prose of a report."""

    id: Slug
    label: Text = Field(description="What the figure is, as quoted")
    value: Number
    unit: Unit
    period: str
    source: str | None = None
    indicator: Slug | None = None
    goal: Code | None = None
    provenance: Provenance = Provenance.SEED
    uncertain: bool = Field(default=False, description="The reading itself is uncertain")
    wording: str | None = Field(default=None, description="The figure as the report words it, e.g. 'om lag en av fire'")
    period_stated: bool = Field(
        default=True, description="False: the report gives no period; `period` is then only the report's data period"
    )
    note: str | None = None
    translations: Translations = {}

    @field_validator("period", mode="before")
    @classmethod
    def _period_from_date(cls, v: object) -> object:
        return v.isoformat() if isinstance(v, date) else v  # YAML reads 2024-07-15 as a date

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        try:
            return str(Period.parse(v))
        except PeriodError:
            raise _error("bad_period", text=v) from None


class ReportingPeriod(_Model):
    id: Annotated[str, StringConstraints(pattern=PERIOD_ID_PATTERN)] = Field(
        description="Edition id such as 2026-01"
    )
    date: Date
    title: Text
    state: PeriodState = PeriodState.DRAFT
    assessments: list[GoalAssessment] = []
    key_figures: list[KeyFigure] = []
    slide_order: list[Slug] = Field(
        default=[],
        description="Indicator slides in the order of the report as published; within each goal, "
        "indicators not listed follow them (marked as added)",
    )
    translations: Translations = {}

