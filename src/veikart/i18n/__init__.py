"""The message catalogue: everything a user reads, in bokmål (default) or English.

Source strings (msgids) are English and live in the code wrapped in ``_()``; the bokmål
translations are in ``locales/nb/LC_MESSAGES/veikart.po`` (a standard gettext catalogue that any
PO editor opens). English needs no catalogue. The .po file is compiled on first use, so the
repository holds no binary .mo files; the compiled catalogue is kept in the user's cache under
the hash of the .po text (compiling takes about 30 ms of every command's start, reading the
compiled one well under 1 ms).

Numbers and dates are formatted with Babel in the language's conventions (10,5 %, 29.01.2026).
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
from contextvars import ContextVar
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

__all__ = [
    "LANGUAGES",
    "N_",
    "_",
    "catalogues_digest",
    "current_language",
    "fmt_date",
    "fmt_number",
    "fmt_percent",
    "set_language",
    "translations",
]

LANGUAGES = ("nb", "en")
DOMAIN = "veikart"
_LOCALES = Path(__file__).parent / "locales"
_DEFAULT_LANGUAGE = os.environ.get("VEIKART_LANG", "nb")
_current: ContextVar[str] = ContextVar("veikart_language", default=_DEFAULT_LANGUAGE)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue for a language (NullTranslations for English, the source)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported; choose one of {', '.join(LANGUAGES)}")
    po = _LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        _LOADED[lang] = "-"
        return gettext.NullTranslations()
    text = po.read_bytes()
    cached = _compiled_path(text, lang)
    if cached is not None:
        try:
            mo = _read_own(cached)
            loaded = gettext.GNUTranslations(io.BytesIO(mo))
        except Exception:  # noqa: BLE001, S110 - missing, not ours alone, damaged: compile it again
            pass
        else:
            _LOADED[lang] = hashlib.sha256(mo).hexdigest()
            return loaded
    mo = _compile(text, lang)
    if cached is not None:
        _keep(cached, mo)
    _LOADED[lang] = hashlib.sha256(mo).hexdigest()
    return gettext.GNUTranslations(io.BytesIO(mo))


#: language -> SHA-256 of the compiled catalogue loaded ("-": none, the source language)
_LOADED: dict[str, str] = {}


def catalogues_digest() -> str:
    """A hash of the compiled catalogues this process translates with, all languages: what
    made the words of a file, for caches of files (the open-data export's build key)."""
    for lang in LANGUAGES:
        translations(lang)
    return hashlib.sha256(repr(sorted(_LOADED.items())).encode()).hexdigest()


def _compiled_path(po: bytes, lang: str) -> Path | None:
    try:
        import babel
        from platformdirs import user_cache_path

        folder = user_cache_path("veikart") / "catalogues"
        key = hashlib.sha256(po + b"\0babel=" + babel.__version__.encode()).hexdigest()[:24]
    except Exception:  # noqa: BLE001 - no cache folder on this machine: compile every time
        return None
    return folder / f"{DOMAIN}-{lang}-{key}.mo"


def _read_own(path: Path) -> bytes:
    """The file's bytes if this user alone can have written it: owned by this user, and neither
    it nor its folder writable by others (a cache folder shared or restored from elsewhere)."""
    import stat

    if hasattr(os, "getuid"):
        for p in (path.parent, path):
            st = p.stat()
            if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                raise PermissionError(f"{p} may have been written by another user")
    return path.read_bytes()


def _compile(po: bytes, lang: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def _keep(path: Path, mo: bytes) -> None:
    """Write the compiled catalogue whole or not at all (another process may be reading it),
    through a new file of our own (never following a link planted in its place)."""
    import stat
    import tempfile

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.parent.stat()
        if hasattr(os, "getuid") and st.st_uid == os.getuid() and st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            # ours, but made writable by others (an earlier version under umask 002): close it,
            # or its catalogues would never be trusted
            os.chmod(path.parent, stat.S_IMODE(st.st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return  # a read-only cache: compile again next time
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(mo)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def set_language(lang: str) -> None:
    translations(lang)  # fail early on an unknown language
    _current.set(lang)


def current_language() -> str:
    lang = _current.get()
    return lang if lang in LANGUAGES else "nb"


def _(message: str) -> str:
    """Translate a message into the current language."""
    return translations(current_language()).gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it now."""
    return message


@cache
def _locale_for(lang: str) -> Locale:
    return Locale.parse("nb_NO" if lang == "nb" else "en_GB")


def _locale() -> Locale:
    return _locale_for(current_language())


@cache
def _number_pattern(decimals: int | None) -> NumberPattern:
    # Parsed once: formatting thousands of numbers (open data, charts) would otherwise re-parse
    # the locale and the pattern for each one.
    if decimals is None:
        return parse_pattern("#,##0.###")
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


#: The group and decimal symbols of our languages in CLDR (tests hold them to Babel's): loading
#: Babel's locale data for them costs a short command 0.1 s.
_NUMBER_SYMBOLS = {"nb": ("\u00a0", ","), "en": (",", ".")}


@cache
def _symbols(lang: str) -> dict[int, str]:
    """A table turning Python's "1,234.5" into the language's own."""
    group, decimal = _NUMBER_SYMBOLS[lang]
    return str.maketrans({",": group, ".": decimal})


_QUANTUM = {d: Decimal(1).scaleb(-d) for d in range(10)}


def _fast_number(value: float | Decimal, decimals: int | None, lang: str) -> str | None:
    """Babel's rendering of the patterns below, done by the decimal module in one step (the
    open-data export formats hundreds of thousands of numbers): the value as Babel reads it
    (its shortest repr), rounded half to even, grouped by three, trailing zeros dropped where the
    decimals are optional. None where Babel must decide (not finite, beyond 9 decimals,
    beyond the decimal context's precision); tests hold it to Babel's output."""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not d.is_finite() or (decimals is not None and not 0 <= decimals < 10):
        return None
    try:
        text = f"{abs(d).quantize(_QUANTUM[3 if decimals is None else decimals]):,f}"
    except InvalidOperation:
        return None
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.translate(_symbols(lang))
    return "-" + text if d.is_signed() else text  # the pattern's negative prefix, as Babel's


def fmt_number(value: float, decimals: int | None = None) -> str:
    """10.5 -> '10,5' in bokmål. `decimals` fixes the number of decimals."""
    lang = current_language()
    fast = _fast_number(value, decimals, lang)
    return fast if fast is not None else _number_pattern(decimals).apply(value, _locale_for(lang))


def fmt_percent(value: float, decimals: int | None = None) -> str:
    """A value in percent units: 10.5 -> '10,5 %' (bokmål) or '10.5%' (English)."""
    number = fmt_number(value, decimals)
    return f"{number}\u00a0%" if current_language() == "nb" else f"{number}%"


def fmt_date(d: date) -> str:
    """29.01.2026 in bokmål, 29 Jan 2026 in English."""
    if current_language() == "nb":
        return d.strftime("%d.%m.%Y")
    return f"{d.day} {d.strftime('%b %Y')}"
