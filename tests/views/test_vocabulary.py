"""One wording for every output: the latest value, ambition text and series names."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import MINIMAL
from veikart.core.dataset import ObservationTable
from veikart.core.model import Ambition, Indicator
from veikart.i18n import set_language
from veikart.views.vocabulary import ambition_text, latest_value, series_name


@pytest.fixture
def minimal_indicator() -> Indicator:
    from veikart.package.reader import check_package

    data, problems = check_package(MINIMAL)
    assert data is not None and not problems
    return data.indicators["andel-digital"]


def _table(rows: list[tuple[tuple[str, ...], str, float | None, str]]) -> ObservationTable:
    t = ObservationTable("x", ("region",))
    for key, period, value, flags in rows:
        t.append(key, period, value, None, flags, "published", "ssb", "")
    return t


def test_the_latest_value_is_the_newest_published_total() -> None:
    t = _table([(("",), "2024", 10.0, ""), (("",), "2025", 12.0, "suppressed"), (("nord",), "2026", 99.0, ""), (("",), "2023", 9.0, "")])
    latest = latest_value(t)
    assert latest is not None
    assert (latest.value, latest.period, latest.scope) == (10.0, "2024", {})  # suppressed 2025 never shown


def test_without_a_total_the_latest_names_its_series() -> None:
    t = _table([(("nord",), "2024", 10.0, ""), (("sor",), "2025", 11.0, "")])
    latest = latest_value(t)
    assert latest is not None and latest.scope == {"region": "sor"} and latest.period == "2025"


def test_quarters_are_ordered_as_periods_not_as_text() -> None:
    t = _table([(("",), "2025-Q4", 4.0, ""), (("",), "2025-Q2", 2.0, "")])
    latest = latest_value(t)
    assert latest is not None and latest.value == 4.0


def test_nothing_published_has_no_latest_value() -> None:
    assert latest_value(_table([(("",), "2024", 1.0, "suppressed")])) is None
    assert latest_value(None) is None


def test_ambition_and_series_words_follow_the_language(minimal_indicator: Indicator) -> None:
    a = Ambition(value=100, unit=minimal_indicator.unit, deadline=date(2030, 12, 31))
    set_language("nb")
    assert ambition_text(a, minimal_indicator).startswith("100\u00a0% innen")
    assert series_name(minimal_indicator, {}) == "Totalt"
    set_language("en")
    assert series_name(minimal_indicator, {}) == "Total"
