"""The one publication rule: no suppressed row, no row without a value, no draft period."""

from __future__ import annotations

from tests.conftest import MINIMAL
from veikart.core.dataset import ObservationTable
from veikart.core.model import PeriodState
from veikart.core.publication import is_suppressed, published_data, published_table


def test_suppressed_and_empty_rows_are_gone_whole() -> None:
    t = ObservationTable("x", ("region",))
    t.append(("",), "2024", 1.0, 30, "", "published", "ssb", "")
    t.append(("",), "2025", 2.0, 3, "provisional;suppressed", "published", "ssb", "secret note")
    t.append(("nord",), "2025", None, None, "", "published", "ssb", "")
    shown = published_table(t)
    assert shown is not None and shown.periods == ["2024"] and "secret note" not in shown.note
    assert published_table(shown) is shown  # nothing to remove: the same table


def test_the_flag_is_matched_whole() -> None:
    assert is_suppressed("suppressed") and is_suppressed("break;suppressed")
    assert not is_suppressed("") and not is_suppressed("provisional")


def test_draft_periods_are_not_published() -> None:
    from veikart.package.reader import check_package

    data, _ = check_package(MINIMAL)
    assert data is not None
    period = next(iter(data.periods.values()))
    draft = period.model_copy(update={"state": PeriodState.DRAFT})
    data.periods = {period.id: draft, "2026-02": period.model_copy(update={"id": "2026-02", "state": PeriodState.PUBLISHED})}
    public = published_data(data)
    assert list(public.periods) == ["2026-02"]
    assert public.indicators == data.indicators
