"""Every string the app shows or sends in a language, English and Danish side by side.

Each area module (``page``, ``reflect``, ``qa``, ...) holds ``PAIRS = {key: (English, Danish)}``
for the keys used there, so a translator sees both languages of a string together. A key lives
in exactly one area; unit tests check that every pair has two non-empty strings with the same
``{placeholders}`` and that every key used with ``t(`` exists. This package imports neither
Gradio nor ``assistant.ui``, so modes and domain modules use it too.
"""

from __future__ import annotations

from assistant.i18n import (
    analyse,
    common,
    debrief,
    goals,
    hardening,
    history,
    http,
    knowledge,
    live_labels,
    page,
    plan,
    practice,
    progress,
    qa,
    reflect,
    rehearse,
    reply_checks,
    scenarios,
    warm_up,
)

__all__ = [
    "AREAS",
    "LANGUAGES",
    "LANGUAGE_CHOICES",
    "PAIRS",
    "STRINGS",
    "lang_code",
    "strings_with_prefix",
    "t",
]

LANGUAGES = ("en", "da")
LANGUAGE_CHOICES = [("English", "en"), ("Dansk", "da")]

# area name -> its pairs; the parity test reads this to find a key defined in two areas
AREAS: dict[str, dict[str, tuple[str, str]]] = {
    module.__name__.rsplit(".", 1)[1]: module.PAIRS
    for module in (
        page,
        common,
        reflect,
        rehearse,
        scenarios,
        qa,
        practice,
        plan,
        goals,
        history,
        progress,
        knowledge,
        debrief,
        http,
        analyse,
        warm_up,
        hardening,
        live_labels,
        reply_checks,
    )
}
PAIRS: dict[str, tuple[str, str]] = {
    key: pair for pairs in AREAS.values() for key, pair in pairs.items()
}
# The merged view per language: {"en": {key: text}, "da": {key: text}}.
STRINGS: dict[str, dict[str, str]] = {
    lang: {key: pair[index] for key, pair in PAIRS.items()} for index, lang in enumerate(LANGUAGES)
}


def lang_code(lang: str) -> str:
    """The language a string table has for ``lang``: "da" for Danish, "en" for anything else."""
    return "da" if lang == "da" else "en"


def t(lang: str, key: str, **values: object) -> str:
    """The string for a key in a language (English when the language is unknown).

    With ``values`` the string is formatted (``str.format``); without, it is returned as is.
    Raises ``KeyError`` for an unknown key.
    """
    text = STRINGS[lang_code(lang)][key]
    return text.format(**values) if values else text


def strings_with_prefix(lang: str, prefix: str) -> dict[str, str]:
    """The strings whose key starts with ``prefix``, keyed by the rest of the key (unformatted)."""
    return {
        key[len(prefix) :]: text
        for key, text in STRINGS[lang_code(lang)].items()
        if key.startswith(prefix)
    }
