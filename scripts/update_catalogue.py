"""Bring the bokmål message catalogue up to date with the code.

    .venv/bin/python scripts/update_catalogue.py            # update locales/nb/LC_MESSAGES/veikart.po
    .venv/bin/python scripts/update_catalogue.py --check    # change nothing; exit 1 if work is left
    .venv/bin/python scripts/update_catalogue.py --prune    # also drop obsolete (#~) entries

The msgids are collected from three places:
  1. every string literal in src/veikart wrapped in ``_()`` or ``N_()`` (Babel's Python extractor;
     a ``# TRANSLATORS:`` comment on the line before becomes a note for the translator);
  2. every value of ``veikart.core.model.MESSAGES`` and ``HINTS`` (the core does not import the
     catalogue, so they are not wrapped; the package reader translates them);
  3. every label of ``veikart.i18n.labels``.

Existing translations and translator comments are kept. A msgid that is no longer in the code
is kept as an obsolete ``#~`` entry (its translation comes back if the msgid does), unless
``--prune``. The file is sorted by msgid, has references without line numbers and a fixed header
date, so that it only changes when messages or translations do.

``--check`` exits 1 and lists every msgid without a bokmål translation (missing, empty or fuzzy),
every translation whose ``{placeholders}`` differ from its msgid's, and says so when the file
is not what the updater would write.
"""

from __future__ import annotations

import argparse
import ast
import io
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "veikart"
PO_FILE = PACKAGE / "i18n" / "locales" / "nb" / "LC_MESSAGES" / "veikart.po"
DOMAIN = "veikart"
LOCALE = "nb"
KEYWORDS = {"_": None, "N_": None}
COMMENT_TAG = "TRANSLATORS:"
#: A fixed header date: the file must not change on every run.
HEADER_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
HEADER_COMMENT = """\
# Bokmål translations of the veikart messages (msgids are the English source texts).
# Update with: .venv/bin/python scripts/update_catalogue.py  (see docs/i18n.md)
# Keep every {placeholder} of a msgid exactly as written in its translation.
#"""

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Found:
    """A msgid as found in the code: where, and any notes for the translator."""

    locations: set[tuple[str, int]] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)

    def add(self, path: str, line: int, comments: Iterable[str] = ()) -> None:
        self.locations.add((path, line))
        for c in comments:
            if c and c not in self.comments:
                self.comments.append(c)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _line_of(path: Path, text: str) -> int:
    """The line where ``text`` first appears as a string literal in ``path`` (0 if not found)."""
    source = path.read_text(encoding="utf-8")
    for quoted in (repr(text), f'"{text}"'):
        pos = source.find(quoted)
        if pos >= 0:
            return source.count("\n", 0, pos) + 1
    return 0


def collect() -> dict[str, Found]:
    """Every msgid of the code, with its locations and translator notes."""
    found: dict[str, Found] = {}
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(COMMENT_TAG,),
        strip_comment_tags=True,
    ):
        if context is not None or not isinstance(message, str) or not message:
            continue
        found.setdefault(message, Found()).add(_rel(PACKAGE / filename), lineno, comments)

    for path, line, text in _calls_in_fstrings():
        found.setdefault(text, Found()).add(_rel(path), line)

    from veikart.core import model
    from veikart.i18n import labels

    model_path = Path(model.__file__)
    for table_name, table in (("MESSAGES", model.MESSAGES), ("HINTS", model.HINTS)):
        for kind, text in table.items():
            note = f"model.{table_name}[{kind!r}]"
            if table_name == "HINTS":
                note += ": how to fix the error"
            found.setdefault(text, Found()).add(_rel(model_path), _line_of(model_path, text), [note])
    labels_path = Path(labels.__file__)
    for text in labels.all_msgids():
        found.setdefault(text, Found()).add(_rel(labels_path), _line_of(labels_path, text))
    return found


def _keyword_calls(tree: ast.AST) -> Iterable[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS:
            yield node


def _literal(call: ast.Call) -> str | None:
    """The call's first argument when it is a string literal."""
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _python_files() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if not any(part.startswith((".", "_")) for part in p.relative_to(PACKAGE).parent.parts)
    )


def _calls_in_fstrings() -> list[tuple[Path, int, str]]:
    """``_("...")`` inside f-strings, which Babel's extractor does not see before Python 3.12."""
    hits: list[tuple[Path, int, str]] = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for fstring in (n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)):
            for call in _keyword_calls(fstring):
                text = _literal(call)
                if text is not None:
                    hits.append((path, call.lineno, text))
    return hits


def dynamic_calls() -> list[str]:
    """``_(expression)`` calls whose msgid cannot be extracted ("file:line: source"), for review."""
    hits: list[str] = []
    for path in _python_files():
        source = path.read_text(encoding="utf-8")
        for call in _keyword_calls(ast.parse(source, str(path))):
            if _literal(call) is None:
                hits.append(f"{_rel(path)}:{call.lineno}: {ast.get_source_segment(source, call)}")
    return sorted(hits, key=lambda h: (h.split(":")[0], int(h.split(":")[1])))


def read_existing(path: Path = PO_FILE) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=LOCALE, domain=DOMAIN)


def placeholders(text: str) -> set[str]:
    """The ``{...}`` replacement fields of a str.format template, as written (``{path!r}``)."""
    fields: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return {"<malformed braces>"}
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        fields.add("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return fields


def build(found: dict[str, Found], existing: Catalog | None, *, prune: bool = False) -> Catalog:
    catalog = Catalog(
        locale=LOCALE,
        domain=DOMAIN,
        header_comment=HEADER_COMMENT,
        project="veikart",
        creation_date=HEADER_DATE,
        revision_date=HEADER_DATE,
        last_translator="veikart",
        language_team="Norwegian Bokmål",
        charset="utf-8",
        fuzzy=False,
    )
    for msgid in sorted(found):
        where = found[msgid]
        old = None
        if existing is not None:
            old = existing.get(msgid) or existing.obsolete.get(msgid)
        flags = set()
        if placeholders(msgid):
            flags.add("python-brace-format")
        user_comments: list[str] = []
        translation = ""
        if old is not None:
            translation = old.string if isinstance(old.string, str) else ""
            user_comments = list(old.user_comments)
            if old.fuzzy:
                flags.add("fuzzy")
        catalog[msgid] = Message(
            msgid,
            translation,
            locations=sorted(where.locations),
            flags=flags,
            auto_comments=where.comments,
            user_comments=user_comments,
        )
    if existing is not None and not prune:
        gone = [m for m in existing if m.id and m.id not in found]
        gone += [m for m in existing.obsolete.values() if m.id not in found]
        for m in sorted(gone, key=lambda m: str(m.id)):
            if isinstance(m.string, str) and m.string:
                catalog.obsolete[m.id] = Message(
                    m.id, m.string, flags=m.flags - {"python-format"}, user_comments=list(m.user_comments)
                )
    return catalog


def render(catalog: Catalog) -> str:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, include_lineno=False)
    text = buf.getvalue().decode("utf-8")
    # The Babel version is not the catalogue's business (and would churn the file on upgrades).
    text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith('"Generated-By:'))
    text = text.replace('"Project-Id-Version: veikart VERSION\\n"', '"Project-Id-Version: veikart\\n"')
    return text.replace('"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"\n', "")


def problems(catalog: Catalog) -> tuple[list[str], list[str]]:
    """(msgids without a usable translation, placeholder mismatches as text)."""
    missing: list[str] = []
    mismatched: list[str] = []
    for m in catalog:
        if not m.id:
            continue
        if not m.string or m.fuzzy:
            missing.append(str(m.id))
            continue
        want, got = placeholders(str(m.id)), placeholders(str(m.string))
        if want != got:
            mismatched.append(
                f"{m.id!r}: msgid has {sorted(want) or 'none'}, translation has {sorted(got) or 'none'}"
            )
    return missing, mismatched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if work is left")
    parser.add_argument("--prune", action="store_true", help="drop obsolete (#~) entries")
    parser.add_argument(
        "--show-dynamic",
        action="store_true",
        help="list _(expression) calls, whose msgids cannot be extracted",
    )
    args = parser.parse_args(argv)
    if args.show_dynamic:
        for hit in dynamic_calls():
            print(hit)

    found = collect()
    existing = read_existing()
    catalog = build(found, existing, prune=args.prune)
    text = render(catalog)
    missing, mismatched = problems(catalog)
    current = PO_FILE.read_text(encoding="utf-8") if PO_FILE.exists() else ""
    rel = _rel(PO_FILE)

    if not args.check and text != current:
        PO_FILE.parent.mkdir(parents=True, exist_ok=True)
        PO_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {rel}")
    print(
        f"{len(found)} msgids: {len(found) - len(missing)} translated, {len(missing)} without a bokmål "
        f"translation, {len(catalog.obsolete)} obsolete"
    )
    for msgid in missing:
        print(f"  missing: {msgid!r}")
    for line in mismatched:
        print(f"  placeholders differ: {line}")
    stale = args.check and text != current
    if stale:
        print(f"{rel} is out of date: run .venv/bin/python scripts/update_catalogue.py")
    if args.check and (missing or mismatched or stale):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
