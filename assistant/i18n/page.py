"""Strings of the page frame: title, language, session list, status banner, model download."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "title": ("Peer Coach", "Peer Coach"),
    "tagline": (
        "Practise coaching conversations privately, on your own machine.",
        "Øv coachingsamtaler privat, på din egen maskine.",
    ),
    "language": ("Language", "Sprog"),
    "sessions": ("Your sessions", "Dine samtaler"),
    "no_sessions": ("No sessions yet.", "Ingen samtaler endnu."),
    "new_session": ("New session", "Ny samtale"),
    "recheck": ("Re-check", "Tjek igen"),
    "download_model": ("Download model", "Hent model"),
    "status_ready": (
        "Ready: Ollama {version} at {host}, model {model}.",
        "Klar: Ollama {version} på {host}, model {model}.",
    ),
    "status_model_missing": (
        (
            "Ollama {version} is running at {host}, but the model {model} is not installed. "
            "Press Download model, or run `ollama pull {model}` in a terminal."
        ),
        (
            "Ollama {version} kører på {host}, men modellen {model} er ikke installeret. "
            "Tryk på Hent model, eller kør `ollama pull {model}` i en terminal."
        ),
    ),
    "status_checking": ("Checking Ollama…", "Tjekker Ollama…"),
    "pull_progress": (
        "{status}: {done} of {total} ({percent}%)",
        "{status}: {done} af {total} ({percent}%)",
    ),
    "pull_status": ("{status}", "{status}"),
    "pull_done": (
        "Model {model} downloaded (100%). You can start coaching.",
        "Modellen {model} er hentet (100%). Du kan begynde at coache.",
    ),
    "language_switched": (
        (
            "The conversation continues in a new session in English; the earlier one is in "
            "your session list."
        ),
        "Samtalen fortsætter i en ny samtale på dansk; den tidligere ligger i din liste.",
    ),
    "session_missing": ("That session no longer exists.", "Den samtale findes ikke længere."),
    "privacy": (
        "Everything stays on this machine: the model runs in Ollama, history in {path}.",
        "Alt bliver på denne maskine: modellen kører i Ollama, historikken i {path}.",
    ),
    "auth_message": (
        (
            "Peer Coach: sign in with the name and password you were given. "
            "Your sessions, goals and uploads are visible only to you."
        ),
        (
            "Peer Coach: log ind med det navn og den adgangskode, du har fået. "
            "Dine samtaler, mål og uploads kan kun ses af dig."
        ),
    ),
}
