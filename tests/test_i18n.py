"""The message catalogue: complete, consistent with the code, and used the way the code expects."""

from __future__ import annotations

import importlib.util
import re
import string
import subprocess
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veikart.core import model, progress
from veikart.i18n import LANGUAGES, _, _locale_for, _number_pattern, fmt_date, fmt_number, fmt_percent, set_language, translations
from veikart.i18n import labels
from veikart.i18n.labels import (
    ASSESSMENT_COLOURS,
    ENUM_LABELS,
    PROGRESS_COLOURS,
    PROGRESS_LABELS,
    PROGRESS_STATUSES,
    REASON_LABELS,
    badge,
    choices,
    label,
    progress_badge,
    progress_label,
    reason_label,
)

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "update_catalogue.py"


def _load_updater() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_catalogue", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


updater = _load_updater()
FOUND = updater.collect()
CATALOG = updater.read_existing()
MODEL_ENUMS = [
    obj for name in model.__all__ if isinstance(obj := getattr(model, name), type) and issubclass(obj, Enum)
]


def _nb(msgid: str) -> str:
    assert CATALOG is not None, f"{updater.PO_FILE} does not exist; run scripts/update_catalogue.py"
    message = CATALOG.get(msgid)
    if message is None or message.fuzzy or not message.string:
        return ""
    return str(message.string)


# --- (a) every msgid has a bokmål translation ---------------------------------------------


def test_extractor_finds_every_literal_msgid_of_the_code() -> None:
    """Every _("...") and N_("...") in src/veikart, f-strings included (Babel alone misses those)."""
    import ast

    literal: set[str] = set()
    for path in updater._python_files():
        for call in updater._keyword_calls(ast.parse(path.read_text(encoding="utf-8"))):
            text = updater._literal(call)
            if text:
                literal.add(text)
    assert len(literal) > 100
    assert literal <= set(FOUND), sorted(literal - set(FOUND))


@pytest.mark.parametrize("msgid", sorted(FOUND))
def test_every_msgid_has_a_bokmal_translation(msgid: str) -> None:
    assert _nb(msgid).strip(), f"no bokmål translation for {msgid!r}: see docs/i18n.md"


@pytest.mark.parametrize(
    "msgid",
    sorted(set(model.MESSAGES.values()) | set(model.HINTS.values()) | set(labels.all_msgids())),
)
def test_model_messages_and_labels_are_translated(msgid: str) -> None:
    assert msgid in FOUND
    assert _nb(msgid).strip()


# --- (b) placeholders ----------------------------------------------------------------------


def _fields(text: str) -> dict[str, str]:
    return {name.split(".")[0].split("[")[0]: "x" for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("msgid", sorted(FOUND))
def test_translation_keeps_the_placeholders(msgid: str) -> None:
    translation = _nb(msgid)
    assert updater.placeholders(translation) == updater.placeholders(msgid), (msgid, translation)
    values = _fields(msgid)
    assert translation.format(**values)  # .format with the msgid's fields never breaks
    assert msgid.format(**values)


# --- (c) switching language ----------------------------------------------------------------


def test_bokmal_and_english() -> None:
    set_language("nb")
    assert _("required field is missing") == "obligatorisk felt mangler"
    assert _("{text!r} is not a period").format(text="2025-13") == "'2025-13' er ikke en periode"
    set_language("en")
    assert _("required field is missing") == "required field is missing"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        set_language("sv")


def test_compiled_catalogue_matches_the_po_file() -> None:
    nb = translations("nb")
    for msgid in FOUND:
        assert nb.gettext(msgid) == _nb(msgid)


@pytest.fixture
def fresh_catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Catalogues loaded anew, with the compiled ones kept in a cache folder of this test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    translations.cache_clear()
    yield tmp_path / "cache" / "veikart" / "catalogues"
    translations.cache_clear()


def test_the_compiled_catalogue_is_kept_and_read_again(fresh_catalogues: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import veikart.i18n as i18n

    first = translations("nb").gettext("Period")
    kept = list(fresh_catalogues.glob("veikart-nb-*.mo"))
    assert len(kept) == 1 and kept[0].read_bytes()[:4] == b"\xde\x12\x04\x95"

    def no_compiling(po: bytes, lang: str) -> bytes:
        raise AssertionError("compiled again although a compiled catalogue was kept")

    monkeypatch.setattr(i18n, "_compile", no_compiling)
    translations.cache_clear()
    assert translations("nb").gettext("Period") == first == _nb("Period")


def test_a_changed_po_file_gets_a_compiled_catalogue_of_its_own(fresh_catalogues: Path) -> None:
    from veikart.i18n import _compiled_path

    translations("nb")
    (kept,) = fresh_catalogues.glob("veikart-nb-*.mo")
    assert _compiled_path(b"msgid ...", "nb") != kept


def test_a_damaged_compiled_catalogue_is_compiled_again(fresh_catalogues: Path) -> None:
    translations("nb")
    (kept,) = fresh_catalogues.glob("veikart-nb-*.mo")
    kept.write_bytes(b"not a catalogue")
    translations.cache_clear()
    assert translations("nb").gettext("Period") == _nb("Period")
    assert kept.read_bytes()[:4] == b"\xde\x12\x04\x95"  # replaced by a whole one


def test_a_cache_that_cannot_be_written_is_compiled_around(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    translations.cache_clear()
    try:
        assert translations("nb").gettext("Period") == _nb("Period")
    finally:
        translations.cache_clear()


def test_a_cached_catalogue_others_could_have_written_is_not_trusted(
    fresh_catalogues: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import veikart.i18n as i18n

    translations("nb")
    (kept,) = fresh_catalogues.glob("veikart-nb-*.mo")
    kept.chmod(0o666)  # writable by anyone: a shared or restored cache folder
    compiled: list[str] = []
    real = i18n._compile

    def counting(po: bytes, lang: str) -> bytes:
        compiled.append(lang)
        return real(po, lang)

    monkeypatch.setattr(i18n, "_compile", counting)
    translations.cache_clear()
    assert translations("nb").gettext("Period") == _nb("Period")
    assert compiled == ["nb"]


def test_the_catalogues_digest_names_the_catalogue_loaded(fresh_catalogues: Path) -> None:
    """What the export's build key holds: a catalogue other than the .po's (a cache written by
    something else) changes it, and removing that catalogue changes it back, so files built
    with it are rebuilt."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from veikart.i18n import catalogues_digest

    genuine = catalogues_digest()
    (kept,) = fresh_catalogues.glob("veikart-nb-*.mo")
    po = Path(__file__).parents[1] / "src/veikart/i18n/locales/nb/LC_MESSAGES/veikart.po"
    catalog = read_po(io.BytesIO(po.read_bytes()), locale="nb")
    catalog["Period"].string = "Noe annet"
    buf = io.BytesIO()
    write_mo(buf, catalog)
    kept.write_bytes(buf.getvalue())
    translations.cache_clear()
    assert translations("nb").gettext("Period") == "Noe annet"
    assert catalogues_digest() != genuine
    kept.unlink()
    translations.cache_clear()
    assert catalogues_digest() == genuine


# --- (d) labels ----------------------------------------------------------------------------


def test_every_model_enum_has_labels() -> None:
    assert set(MODEL_ENUMS) == set(ENUM_LABELS), "add labels for new enums to veikart/i18n/labels.py"


@pytest.mark.parametrize("enum", MODEL_ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_a_label_in_both_languages(enum: type[Enum]) -> None:
    assert set(ENUM_LABELS[enum]) == set(enum)
    en, nb = choices(enum, "en"), choices(enum, "nb")
    assert list(en) == list(enum)
    for member in enum:
        assert en[member] == ENUM_LABELS[enum][member]
        assert nb[member].strip() and nb[member] != en[member], (member, nb[member])


def test_label_follows_the_current_language() -> None:
    set_language("nb")
    assert label(model.Frequency.ANNUAL) == "årlig"
    assert label(model.Frequency.CONTINUOUS) == "løpende"
    assert label(model.AmbitionState.PROPOSED) == "foreslått"
    assert label(model.IndicatorKind.STATISTIC) == "statistikk"
    assert label(model.Frequency.ANNUAL, lang="en") == "annual"
    set_language("en")
    assert label(model.Frequency.ANNUAL) == "annual"
    with pytest.raises(KeyError):
        label(progress.Status.ON_TRACK)  # type: ignore[arg-type]  # use progress_label


def test_assessment_badges() -> None:
    assert badge(model.AssessmentStatus.GOOD, "nb").label == "God framdrift"
    assert badge("serious_concerns", "nb").label == "Alvorlig bekymring"
    assert badge("not_stated", "en").label == "Not stated"
    colours = [ASSESSMENT_COLOURS[s] for s in model.AssessmentStatus]
    assert len(set(colours)) == len(colours)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)


#: methodology.md's table of category names.
METHODOLOGY = {
    "target_achieved": ("Ambisjon nådd", "Target achieved"),
    "on_track": ("I rute", "On track"),
    "acceleration_needed": ("Framgang, men må øke tempoet", "Progress, acceleration needed"),
    "limited_progress": ("Begrenset framgang", "Limited progress"),
    "deterioration": ("Utvikling i feil retning", "Deterioration"),
    "unable_to_assess": ("Kan ikke vurderes", "Unable to assess"),
    "not_assessed": ("Ikke vurdert (kun framskrivning)", "Not assessed (projection only)"),
}


def test_progress_categories_match_the_methodology_and_the_code() -> None:
    assert PROGRESS_STATUSES == tuple(s.value for s in progress.Status)
    assert set(PROGRESS_LABELS) == set(PROGRESS_COLOURS) == set(METHODOLOGY)
    for status, (nb, en) in METHODOLOGY.items():
        assert progress_label(status, "nb") == nb
        assert progress_label(status, "en") == en
    assert progress_label(progress.Status.ON_TRACK, "nb") == "I rute"
    badge_ = progress_badge("deterioration", "nb")
    assert (badge_.label, badge_.colour) == ("Utvikling i feil retning", "#D55E00")
    colours = list(PROGRESS_COLOURS.values())
    assert len(set(colours)) == len(colours)


def test_every_progress_reason_has_a_label() -> None:
    assert set(REASON_LABELS) == {r for r in progress.REASONS if r is not None}
    for reason in REASON_LABELS:
        assert reason_label(reason, "nb") != reason_label(reason, "en")


def test_text_colour_contrasts_with_the_fill() -> None:
    assert labels.text_colour("#000000") == "#FFFFFF"
    assert labels.text_colour("#FFFFFF") == "#000000"
    assert labels.text_colour("#0072B2") == "#FFFFFF"
    assert labels.text_colour("#F0E442") == "#000000"


# --- (e) numbers and dates -----------------------------------------------------------------


def test_bokmal_number_and_date_formats() -> None:
    set_language("nb")
    assert fmt_number(10.5) == "10,5"
    assert fmt_percent(10.5) == "10,5\u00a0%"
    assert fmt_number(1234567.5, 1).replace("\u00a0", " ") == "1 234 567,5"
    assert fmt_date(date(2026, 1, 29)) == "29.01.2026"


def test_english_number_and_date_formats() -> None:
    set_language("en")
    assert fmt_number(10.5) == "10.5"
    assert fmt_percent(10.5) == "10.5%"
    assert fmt_date(date(2026, 1, 29)) == "29 Jan 2026"


@settings(max_examples=400, deadline=None)
@given(
    value=st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
        st.integers(min_value=-10**12, max_value=10**12),
        st.decimals(allow_nan=False, allow_infinity=False, places=5, min_value=-10**9, max_value=10**9),
    ),
    decimals=st.sampled_from([None, 0, 1, 2, 3, 6]),
    lang=st.sampled_from(LANGUAGES),
)
def test_number_fast_path_matches_babel(value: object, decimals: int | None, lang: str) -> None:
    """fmt_number's decimal-module path gives Babel's exact text (rounding half to even on the
    shortest repr, grouping, the sign of a negative zero) in both languages."""
    expected = _number_pattern(decimals).apply(value, _locale_for(lang))
    set_language(lang)
    try:
        assert fmt_number(value, decimals) == expected  # type: ignore[arg-type]
    finally:
        set_language("nb")


@pytest.mark.parametrize("value", [0.0015, 0.0025, 2.675, -0.0004, -0.0, 999.9995, 1e-7, 12345678.9])
def test_number_rounding_edges_match_babel(value: float) -> None:
    for lang in LANGUAGES:
        set_language(lang)
        for decimals in (None, 0, 2, 3):
            assert fmt_number(value, decimals) == _number_pattern(decimals).apply(value, _locale_for(lang))
    set_language("nb")


def test_number_symbols_are_cldrs() -> None:
    from veikart.i18n import _NUMBER_SYMBOLS

    assert set(_NUMBER_SYMBOLS) == set(LANGUAGES)
    for lang, (group, decimal) in _NUMBER_SYMBOLS.items():
        symbols = _locale_for(lang).number_symbols["latn"]
        assert (symbols["group"], symbols["decimal"]) == (group, decimal)


def test_number_beyond_the_fast_path_still_formats() -> None:
    set_language("en")
    try:
        assert fmt_number(float("inf")) == "∞"
        assert fmt_number(float("nan")) == "NaN"
    finally:
        set_language("nb")


# --- (f) the catalogue is up to date -------------------------------------------------------


def test_catalogue_is_up_to_date() -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_updater_is_stable() -> None:
    """Building the catalogue from the file and the code gives the file back, byte for byte."""
    assert CATALOG is not None
    text = updater.render(updater.build(FOUND, CATALOG))
    assert text == updater.PO_FILE.read_text(encoding="utf-8")
    assert "POT-Creation-Date: 2026-01-01" in text and "Generated-By" not in text


def test_a_removed_msgid_keeps_its_translation_as_obsolete() -> None:
    from io import BytesIO

    from babel.messages.pofile import read_po

    removed = "required field is missing"
    found = {k: v for k, v in FOUND.items() if k != removed}
    catalog = updater.build(found, CATALOG)
    assert removed not in catalog and catalog.obsolete[removed].string == "obligatorisk felt mangler"
    text = updater.render(catalog)
    assert '#~ msgid "required field is missing"' in text
    # the msgid comes back: so does its translation, and the file is as before
    back = updater.build(FOUND, read_po(BytesIO(text.encode("utf-8")), locale="nb", domain="veikart"))
    assert updater.render(back) == updater.PO_FILE.read_text(encoding="utf-8")
    assert not updater.build(found, CATALOG, prune=True).obsolete


def test_a_cache_folder_of_ours_left_writable_by_others_is_closed_and_then_trusted(
    fresh_catalogues: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier version made the folder under umask 002 (group-writable): the next compile
    closes it, and the catalogue after that is read, not compiled again."""
    import stat

    import veikart.i18n as i18n

    fresh_catalogues.mkdir(parents=True)
    fresh_catalogues.chmod(0o775)
    translations("nb")  # not trusted: compiled, kept, the folder closed
    assert not stat.S_IMODE(fresh_catalogues.stat().st_mode) & (stat.S_IWGRP | stat.S_IWOTH)

    def no_compiling(po: bytes, lang: str) -> bytes:
        raise AssertionError("compiled again")

    monkeypatch.setattr(i18n, "_compile", no_compiling)
    translations.cache_clear()
    assert translations("nb").gettext("Period") == _nb("Period")
