"""Writes per document: an edit is versioned and audited as an import is, validated by the same
reader, and guarded by a revision per document (optimistic locking). Both engines."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import MINIMAL
from veikart.app import AppContext, framework
from veikart.app.edit import Changes, ObservationEdit, apply_changes, load_for_edit
from veikart.core.model import AmbitionState, Provenance
from veikart.errors import UsageError
from veikart.package.problems import PackageInvalid


@pytest.fixture
def ctx(store_url: str):
    with AppContext(db_url=store_url, actor="redaktør", lang="en") as c:
        framework.import_package(c, MINIMAL)
        yield c


def test_correcting_one_observation_is_one_versioned_audited_change(ctx: AppContext) -> None:
    store = ctx.store()
    before = store.load()
    at_before = store.audit_trail(limit=1)[0].at
    ed = load_for_edit(ctx)
    rev = ed.revisions["observations:andel-digital"]
    summary = apply_changes(
        ctx,
        Changes(
            observations=[ObservationEdit("andel-digital", "2021", value=46.0, source="ssb")],
            expected={"observations:andel-digital": rev},
        ),
    )
    assert summary.observations_revised == 1 and summary.observations_added == 0
    assert not summary.created and not summary.updated and not summary.removed
    after = store.load().observations["andel-digital"]
    i = next(i for i in range(len(after)) if after.periods[i] == "2021" and not any(after.keys[i]))
    assert after.values[i] == 46.0
    entry = store.audit_trail(limit=1)[0]
    assert (entry.actor, entry.action, entry.entity, entry.entity_id) == ("redaktør", "edit", "observations", "andel-digital")
    assert entry.old == {"revised": [{"series": "", "period": "2021", "old": 45.5, "new": 46.0}], "removed": []}
    assert entry.new == {"added": 0, "revised": 1, "removed": 0}
    # the history keeps the old value; everything else is as it was
    old = store.load(as_of=at_before).observations["andel-digital"]
    assert old.values == before.observations["andel-digital"].values
    assert store.revisions()["observations:andel-digital"] == rev + 1
    assert store.load().indicators == before.indicators


def test_adopting_an_ambition_changes_that_indicator_only(ctx: AppContext) -> None:
    ed = load_for_edit(ctx)
    ind = ed.data.indicators["andel-digital"]
    adopted = [a.model_copy(update={"state": AmbitionState.ADOPTED}) for a in ind.ambitions]
    summary = apply_changes(
        ctx,
        Changes(
            documents=[ind.model_copy(update={"ambitions": adopted})],
            expected={"indicator:andel-digital": ed.revisions["indicator:andel-digital"]},
        ),
    )
    assert summary.updated == ["indicator:andel-digital"] and summary.observations_revised == 0
    stored = ctx.store().load().indicators["andel-digital"]
    assert all(a.state is AmbitionState.ADOPTED for a in stored.ambitions)


def test_an_edit_of_a_document_someone_changed_since_is_refused_and_writes_nothing(ctx: AppContext) -> None:
    first, second = load_for_edit(ctx), load_for_edit(ctx)
    ind = first.data.indicators["ventetid"]
    token = {"indicator:ventetid": first.revisions["indicator:ventetid"]}
    apply_changes(ctx, Changes(documents=[ind.model_copy(update={"title": "Ventetid (ny)"})], expected=token))
    trail = ctx.store().audit_trail()
    other = second.data.indicators["ventetid"].model_copy(update={"title": "Ventetid (annen)"})
    with pytest.raises(UsageError, match="changed by someone else since you read it"):
        apply_changes(
            ctx, Changes(documents=[other], expected={"indicator:ventetid": second.revisions["indicator:ventetid"]})
        )
    assert ctx.store().audit_trail() == trail
    assert ctx.store().load().indicators["ventetid"].title == "Ventetid (ny)"


def test_an_edit_of_another_document_is_applied_to_the_newer_state(ctx: AppContext) -> None:
    first, second = load_for_edit(ctx), load_for_edit(ctx)
    ind = first.data.indicators["ventetid"]
    apply_changes(
        ctx,
        Changes(
            documents=[ind.model_copy(update={"title": "Ventetid (ny)"})],
            expected={"indicator:ventetid": first.revisions["indicator:ventetid"]},
        ),
    )
    # the second editor read before that change and edits another indicator's observations
    apply_changes(
        ctx,
        Changes(
            observations=[ObservationEdit("andel-digital", "2023", value=55.0, source="ssb")],
            expected={"observations:andel-digital": second.revisions["observations:andel-digital"]},
        ),
    )
    now = ctx.store().load()
    assert now.indicators["ventetid"].title == "Ventetid (ny)"  # not reverted by the second edit
    assert "2023" in now.observations["andel-digital"].periods


def test_an_edit_the_validator_refuses_leaves_the_store_as_it_was(ctx: AppContext) -> None:
    ed = load_for_edit(ctx)
    trail = ctx.store().audit_trail()
    with pytest.raises(PackageInvalid) as caught:
        apply_changes(
            ctx,
            Changes(
                observations=[ObservationEdit("andel-digital", "2024", value=150.0, source="ssb")],
                expected={"observations:andel-digital": ed.revisions["observations:andel-digital"]},
            ),
        )
    assert "data/andel-digital.csv" in caught.value.translated()
    assert ctx.store().audit_trail() == trail


def test_an_edit_must_name_the_revisions_it_changes(ctx: AppContext) -> None:
    ed = load_for_edit(ctx)
    per = next(iter(ed.data.periods.values()))
    with pytest.raises(UsageError, match="which revision"):
        apply_changes(ctx, Changes(documents=[per.model_copy(update={"date": date(2026, 1, 30)})]))


def test_removing_an_observation_and_an_unknown_one(ctx: AppContext) -> None:
    ed = load_for_edit(ctx)
    token = {"observations:ventetid": ed.revisions["observations:ventetid"]}
    summary = apply_changes(
        ctx, Changes(observations=[ObservationEdit("ventetid", "2024-Q1", remove=True, provenance=Provenance.SEED)], expected=token)
    )
    assert summary.observations_removed == 1
    ed = load_for_edit(ctx)
    with pytest.raises(UsageError, match="nothing to remove"):
        apply_changes(
            ctx,
            Changes(
                observations=[ObservationEdit("ventetid", "2024-Q1", remove=True)],
                expected={"observations:ventetid": ed.revisions["observations:ventetid"]},
            ),
        )


def test_the_store_refuses_data_read_before_a_newer_change(ctx: AppContext) -> None:
    from veikart.store.store import StaleBase

    store = ctx.store()
    head = store.head_change()
    data = store.load()
    ind = data.indicators["ventetid"]
    changed = type(data)(data.framework, {**data.indicators, "ventetid": ind.model_copy(update={"title": "X"})}, data.observations, data.periods)
    store.import_data(changed, actor="a", base_change=head)
    trail = store.audit_trail()
    with pytest.raises(StaleBase, match="changed by someone else since it was read"):
        store.import_data(data, actor="b", base_change=head)  # would revert the title
    assert store.audit_trail() == trail and store.load().indicators["ventetid"].title == "X"
