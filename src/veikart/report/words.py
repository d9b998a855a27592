"""The words the renderers add themselves (everything else comes translated in the document):
one table for the HTML, PDF and PPTX renderers, translated through the message catalogue."""

from __future__ import annotations

from functools import cache

from veikart.i18n import LANGUAGES, N_, translations

__all__ = ["WORDS", "renderer_words"]

#: key -> English msgid; the bokmål is in the catalogue (locales/nb/LC_MESSAGES/veikart.po)
WORDS: dict[str, str] = {
    "skip": N_("Skip to content"),
    "contents": N_("Contents"),
    "notes": N_("Notes"),
    # TRANSLATORS: the HTML report's label of one slide, e.g. "Slide 3 of 20"
    "slide": N_("Slide {n} of {total}"),
    "illustrative": N_("Illustrative data - not official figures"),
    "about": N_("About this report"),
    # TRANSLATORS: after a slide's title on its second and later pages: "Mål 1 (forts.)"
    "continued": N_("continued"),
    "provenance.framework": N_("Framework"),
    "provenance.period": N_("Reporting period"),
    "provenance.as_of": N_("Data as known on"),
    "provenance.data_vintage": N_("Data vintage"),
    "provenance.data_as_of": N_("Data as of"),
}


@cache
def renderer_words(lang: str) -> dict[str, str]:
    """The renderers' words in `lang` ('nb', 'en'; 'nn' and 'no' read bokmål; other languages English)."""
    base = lang.split("-")[0].lower()
    if base in ("nn", "no"):
        base = "nb"
    if base not in LANGUAGES:
        base = "en"
    t = translations(base)
    return {key: t.gettext(msgid) for key, msgid in WORDS.items()}
