"""One error tree: every user-facing error derives from VeikartError and is translated when shown."""

from __future__ import annotations

from veikart.errors import UsageError, VeikartError
from veikart.i18n import N_, set_language
from veikart.opendata.export import ExportError
from veikart.opensdg.exporter import NotAnOpenSdgRepository
from veikart.package.problems import PackageInvalid, TargetNotEmpty
from veikart.store.errors import StoreError


def test_every_user_error_is_a_veikart_error() -> None:
    for cls in (UsageError, StoreError, PackageInvalid, TargetNotEmpty, ExportError, NotAnOpenSdgRepository):
        assert issubclass(cls, VeikartError), cls


def test_the_message_is_written_where_it_is_raised_and_translated_when_shown() -> None:
    exc = TargetNotEmpty("/tmp/mine")
    assert str(exc) == "/tmp/mine is not empty and is not a framework package; choose a new or empty folder"
    set_language("nb")
    assert exc.translated() == "/tmp/mine er ikke tom og er ikke en rammeverkpakke; velg en ny eller tom mappe"
    repo = NotAnOpenSdgRepository("/tmp/site")
    assert "/tmp/site" in repo.translated() and repo.translated() != str(repo)


def test_an_unknown_template_falls_back_to_english() -> None:
    set_language("nb")
    exc = StoreError(N_("no such thing as {x}"), x=1)
    assert exc.translated() == str(exc) == "no such thing as 1"
