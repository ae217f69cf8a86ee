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
    "uploads_none_deleted": (
        "You have no document named {name}: nothing was deleted.",
        "Du har intet dokument med navnet {name}: intet blev slettet.",
    ),
    "goal_not_found": (
        "That goal is not one of yours (or it no longer exists): nothing was saved.",
        "Det mål er ikke et af dine (eller det findes ikke længere): intet blev gemt.",
    ),
    "check_in_nothing_due": (
        "No open goal is waiting for a check-in now: nothing was saved.",
        "Intet åbent mål venter på en opfølgning nu: intet blev gemt.",
    ),
    "session_none_deleted": (
        "Session {id} is not one of yours (or it was already deleted): nothing was deleted.",
        "Session {id} er ikke en af dine (eller den er allerede slettet): intet blev slettet.",
    ),
    "resend_offer": (
        "Ollama is running again. Send your message now?",
        "Ollama kører igen. Vil du sende din besked nu?",
    ),
    "resend_send": ("Send it now", "Send den nu"),
    "debrief_goal_no_session": (
        "The session of this debrief is not one of yours: the goal was not saved.",
        "Sessionen med denne evaluering er ikke en af dine: målet blev ikke gemt.",
    ),
}
