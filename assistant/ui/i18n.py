"""Every string the page shows, in English and Danish.

The language is a control on the page (not the browser's locale), so switching it re-labels the
components from this table. A unit test checks that both languages have the same keys.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Peer Coach",
        "tagline": "Practise coaching conversations privately, on your own machine.",
        "language": "Language",
        "sessions": "Your sessions",
        "no_sessions": "No sessions yet.",
        "new_session": "New session",
        "untitled": "New conversation",
        "tab_reflect": "Reflect",
        "reflect_intro": (
            "Think something through with a peer coach who asks open questions, one at a "
            "time, and gives advice only when you ask for it."
        ),
        "chat_label": "Conversation",
        "message_label": "Your message",
        "message_placeholder": "Write your answer and press Enter (Shift+Enter for a new line)",
        "send": "Send",
        "stop": "Stop",
        "retry": "Retry",
        "recheck": "Re-check",
        "download_model": "Download model",
        "interrupted": "Interrupted. Press Retry to get a new answer.",
        "stopped": "You stopped the reply. What arrived is saved.",
        "status_ready": "Ready: Ollama {version} at {host}, model {model}.",
        "status_model_missing": (
            "Ollama {version} is running at {host}, but the model {model} is not installed. "
            "Press Download model, or run `ollama pull {model}` in a terminal."
        ),
        "status_checking": "Checking Ollama…",
        "pull_progress": "{status}: {done} of {total} ({percent}%)",
        "pull_status": "{status}",
        "pull_done": "Model {model} downloaded (100%). You can start coaching.",
        "language_switched": (
            "The conversation continues in a new session in English; the earlier one is in "
            "your session list."
        ),
        "session_missing": "That session no longer exists.",
        "nothing_to_retry": "There is no message of yours to answer again yet.",
        "privacy": "Everything stays on this machine: the model runs in Ollama, history in {path}.",
    },
    "da": {
        "title": "Peer Coach",
        "tagline": "Øv coachingsamtaler privat, på din egen maskine.",
        "language": "Sprog",
        "sessions": "Dine samtaler",
        "no_sessions": "Ingen samtaler endnu.",
        "new_session": "Ny samtale",
        "untitled": "Ny samtale",
        "tab_reflect": "Reflektér",
        "reflect_intro": (
            "Tænk noget igennem med en sparringspartner, der stiller åbne spørgsmål ét ad "
            "gangen og kun giver råd, når du beder om det."
        ),
        "chat_label": "Samtale",
        "message_label": "Din besked",
        "message_placeholder": "Skriv dit svar og tryk Enter (Shift+Enter giver ny linje)",
        "send": "Send",
        "stop": "Stop",
        "retry": "Prøv igen",
        "recheck": "Tjek igen",
        "download_model": "Hent model",
        "interrupted": "Afbrudt. Tryk på Prøv igen for at få et nyt svar.",
        "stopped": "Du stoppede svaret. Det modtagne er gemt.",
        "status_ready": "Klar: Ollama {version} på {host}, model {model}.",
        "status_model_missing": (
            "Ollama {version} kører på {host}, men modellen {model} er ikke installeret. "
            "Tryk på Hent model, eller kør `ollama pull {model}` i en terminal."
        ),
        "status_checking": "Tjekker Ollama…",
        "pull_progress": "{status}: {done} af {total} ({percent}%)",
        "pull_status": "{status}",
        "pull_done": "Modellen {model} er hentet (100%). Du kan begynde at coache.",
        "language_switched": (
            "Samtalen fortsætter i en ny samtale på dansk; den tidligere ligger i din liste."
        ),
        "session_missing": "Den samtale findes ikke længere.",
        "nothing_to_retry": "Der er endnu ingen besked fra dig at svare på igen.",
        "privacy": "Alt bliver på denne maskine: modellen kører i Ollama, historikken i {path}.",
    },
}

LANGUAGE_CHOICES = [("English", "en"), ("Dansk", "da")]


def t(lang: str, key: str, **values: object) -> str:
    """The string for a key in a language (English when the language is unknown)."""
    table = STRINGS.get(lang, STRINGS["en"])
    text = table[key]
    return text.format(**values) if values else text
