"""The one error type the user sees: a short, actionable message in Danish and English."""

from __future__ import annotations

from assistant.config import Language


class CoachError(Exception):
    """A failure the user can act on, with the message in both languages."""

    def __init__(self, code: str, en: str, da: str) -> None:
        super().__init__(en)
        self.code = code
        self.en = en
        self.da = da

    def message(self, lang: Language | str) -> str:
        """The message in the given language (English for anything but 'da')."""
        return self.da if lang == "da" else self.en
