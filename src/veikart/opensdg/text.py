"""Small pure helpers of the Open SDG importer: slugs, codes, HTML to Markdown, translation keys,
units and the official SDG goal titles. No I/O."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from veikart.core.model import Unit

__all__ = [
    "SDG_GOAL_TITLES",
    "assign_codes",
    "clean_text",
    "is_translation_key",
    "map_unit",
    "natural_key",
    "slugify",
    "text_of",
]

#: The official short titles of the 17 Sustainable Development Goals (United Nations, English).
SDG_GOAL_TITLES: dict[str, str] = {
    "1": "No poverty",
    "2": "Zero hunger",
    "3": "Good health and well-being",
    "4": "Quality education",
    "5": "Gender equality",
    "6": "Clean water and sanitation",
    "7": "Affordable and clean energy",
    "8": "Decent work and economic growth",
    "9": "Industry, innovation and infrastructure",
    "10": "Reduced inequalities",
    "11": "Sustainable cities and communities",
    "12": "Responsible consumption and production",
    "13": "Climate action",
    "14": "Life below water",
    "15": "Life on land",
    "16": "Peace, justice and strong institutions",
    "17": "Partnerships for the goals",
}

# Signs that carry meaning in labels such as "<16", "65+", "%" or "£": spelled out before
# slugging, so that "<16" and ">16" do not both become "16".
_SIGNS = (
    ("<=", " le "),
    (">=", " ge "),
    ("≤", " le "),
    ("≥", " ge "),
    ("<", " lt "),
    (">", " gt "),
    ("+", " plus "),
    ("%", " percent "),
    ("£", " gbp "),
    ("$", " usd "),
    ("€", " eur "),
    ("&", " and "),
)
_NON_SLUG = re.compile(r"[^a-z0-9]+")
#: Letters that Unicode does not decompose into a base letter: spelled in ASCII before slugging,
#: so that "Sør-Øst" becomes "sor-ost", not "sr-st".
_LETTERS = str.maketrans(
    {"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ß": "ss", "œ": "oe", "Œ": "Oe", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th"}
)


def slugify(text: str, max_len: int = 80) -> str:
    """Lower-case ASCII letters and digits joined by '-', at most `max_len` characters ('' if
    nothing is left)."""
    s = text
    for sign, word in _SIGNS:
        if sign in s:
            s = s.replace(sign, word)
    s = unicodedata.normalize("NFKD", s.translate(_LETTERS)).encode("ascii", "ignore").decode("ascii").lower()
    s = _NON_SLUG.sub("-", s).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rstrip("-")
    return s


def assign_codes(
    labels: Iterable[str], max_len: int = 40, reserved: Iterable[str] = (), empty: str = "value"
) -> dict[str, str]:
    """A code for each label: its slug, unique among the labels and not in `reserved`.

    Labels whose slugs collide are sorted; the first keeps the slug, the others get -2, -3, ...
    (shortened to fit `max_len`). The result depends only on the set of labels, not their order,
    so a data file whose rows are reordered keeps its codes."""
    base: dict[str, list[str]] = defaultdict(list)
    for label in set(labels):
        base[slugify(label, max_len) or empty].append(label)
    taken = set(base) | set(reserved)
    codes: dict[str, str] = {}
    for slug in sorted(base):
        group = sorted(base[slug])
        start = 0
        if slug not in reserved:
            codes[group[0]] = slug
            start = 1
        n = 2
        for label in group[start:]:
            while True:
                suffix = f"-{n}"
                n += 1
                code = slug[: max_len - len(suffix)].rstrip("-") + suffix
                if code not in taken:
                    break
            taken.add(code)
            codes[label] = code
    return codes


_KEY = re.compile(r"^[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)+$")


def is_translation_key(text: str) -> bool:
    """True for Open SDG translation keys such as `global_indicators.1-1-1-title`."""
    return bool(_KEY.match(text))


def text_of(value: object) -> str:
    """A metadata value as stripped text ('' for None, lists joined by newlines)."""
    if value is None or value is False:
        return ""
    if isinstance(value, list):
        return "\n".join(t for v in value if (t := text_of(v)))
    if isinstance(value, dict):
        return ""
    return str(value).strip()


_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_P_BREAK = re.compile(r"</p\s*>\s*<p[^>]*>|</p\s*>|<p[^>]*>", re.IGNORECASE)
_LI = re.compile(r"<li[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a\s*>""", re.IGNORECASE | re.DOTALL)
_STRONG = re.compile(r"<(strong|b)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_EM = re.compile(r"<(em|i)>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: object) -> str:
    """Metadata text as Markdown: HTML paragraphs, breaks, links, bold and italics become their
    Markdown forms, other tags are dropped, entities decoded, spaces tidied."""
    text = text_of(value)
    if not text:
        return ""
    if "<" in text:
        text = _LINK.sub(lambda m: f"[{_TAG.sub('', m[2]).strip()}]({m[1].strip()})", text)
        text = _STRONG.sub(lambda m: f"**{m[2].strip()}**", text)
        text = _EM.sub(lambda m: f"*{m[2].strip()}*", text)
        text = _BR.sub("\n", text)
        text = _P_BREAK.sub("\n\n", text)
        text = _LI.sub("\n- ", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def paragraphs(value: object) -> list[str]:
    """Text split into its paragraphs (blank-line separated, after `clean_text`)."""
    return [p.strip() for p in clean_text(value).split("\n\n") if p.strip()]


def natural_key(text: str) -> tuple:
    """Sort key ordering '1.2' before '1.10' and numbers before letters ('1.9' < '1.a')."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", text))


# --- units -----------------------------------------------------------------------------------

_PER_100000 = re.compile(r"per\s*100[ ,.]?000\b(?![ ,.]?\d)")
_PER_1000 = re.compile(r"per\s*1[ ,.]?000\b(?![ ,.]?\d)")
_MULTI = re.compile(r" / |, [A-Z]| and [a-z]+ (?:rates?|ratios?|numbers?|percentages?)")
_WORD = re.compile(r"[a-z]+")


def map_unit(text: str) -> Unit:
    """Our unit for an Open SDG unit text, where it clearly maps; otherwise `number`.
    The caller still checks that every value lies within the unit's bounds."""
    raw = text.strip()
    if is_translation_key(raw):
        raw = raw.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ")
    if _MULTI.search(raw):
        return Unit.NUMBER  # several units named in one text
    t = raw.lower()
    words = set(_WORD.findall(t))
    if _PER_100000.search(t):
        return Unit.PER_100000
    if _PER_1000.search(t):
        return Unit.PER_1000
    if "per " in t or "per-" in t or "/" in t:
        return Unit.NUMBER  # per capita, per 10,000, per million, tonnes/ha, ...
    if ("%" in t or words & {"percent", "percentage", "percentages", "pct"}) and not words & {
        "change",
        "growth",
        "points",
        "point",
        "difference",
    }:
        return Unit.PERCENT
    # Norwegian unit texts (andel/prosent, antall, dager/døgn, indeks, skår, kroner), as a
    # Norwegian framework exported to Open SDG writes them.
    first = t.split(" ", 1)[0]
    if first in ("andel", "prosent", "prosentandel") or "prosent" in words:
        return Unit.NUMBER if words & {"endring", "prosentpoeng", "vekst"} else Unit.PERCENT
    if first in ("dager", "døgn") or t.startswith(("antall dager", "antall døgn")):
        return Unit.DAYS
    if first in ("indeks", "indekspoeng"):
        return Unit.INDEX
    if first in ("skår", "poengskår"):
        return Unit.SCORE
    if first == "antall" and not words & {"gjennomsnitt", "gjennomsnittlig", "rate"}:
        return Unit.COUNT
    if "index" in words:
        return Unit.INDEX
    if "score" in words:
        return Unit.SCORE
    if words & {"day", "days"} and len(words) <= 3:
        return Unit.DAYS
    if words & {"nok", "kroner"}:
        return Unit.NOK
    if (
        t.startswith(("number", "count", "thousands of", "millions of"))
        or words & {"count", "individuals", "persons", "people"}
    ) and not words & {"rate", "ratio", "average", "mean"}:
        return Unit.COUNT
    return Unit.NUMBER
