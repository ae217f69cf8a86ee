"""Strings of issue #15's hardening: other users' files refused, actions that changed nothing,
and the offer to send kept words once Ollama runs again."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "http_not_your_file": (
        "Refused: this file belongs to another user of Peer Coach.",
        "Afvist: denne fil tilhører en anden bruger af Peer Coach.",
    ),
    "file_not_yours": (
        "This file was not uploaded by you, so it was not read. Choose a file on your computer "
        "and upload it again.",
        "Denne fil er ikke uploadet af dig, så den blev ikke læst. Vælg en fil på din computer, "
        "og upload den igen.",
    ),
}
