"""The page's strings: a re-export of :mod:`assistant.i18n`, where they live by area.

The language is a control on the page (not the browser's locale), so switching it re-labels the
components from this table.
"""

from __future__ import annotations

from assistant.i18n import LANGUAGE_CHOICES, STRINGS, lang_code, t

__all__ = ["LANGUAGE_CHOICES", "STRINGS", "lang_code", "t"]
