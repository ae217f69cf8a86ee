"""Strings shared by several tabs: the chat box, mode names, the untitled session."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "untitled": ("New conversation", "Ny samtale"),
    "chat_label": ("Conversation", "Samtale"),
    "message_placeholder": (
        "Write your answer and press Enter (Shift+Enter for a new line)",
        "Skriv dit svar og tryk Enter (Shift+Enter giver ny linje)",
    ),
    "send": ("Send", "Send"),
    "interrupted": (
        "Interrupted. Press Retry to get a new answer.",
        "Afbrudt. Tryk på Prøv igen for at få et nyt svar.",
    ),
    "mode_reflect": ("Reflect", "Reflektér"),
    "mode_rehearse": ("Rehearse", "Øv"),
    "mode_practice": ("Practice", "Træn"),
    "mode_qa": ("Q&A", "Spørgerunde"),
}
