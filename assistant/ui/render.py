"""Turning stored data into what Gradio components show."""

from __future__ import annotations

import html
from typing import Any

from assistant.store import SessionSummary, Turn
from assistant.ui.i18n import t

ChatMessages = list[dict[str, Any]]


def inert(text: str) -> str:
    """Chat text (the user's or the model's) shown as written: HTML is displayed, never
    interpreted, and a Markdown image is shown as text, so nothing in a message makes the
    browser fetch a URL. Markdown emphasis and lists still render."""
    return html.escape(text, quote=False).replace("![", "!\\[")


def chat_messages(turns: list[Turn], lang: str) -> ChatMessages:
    """The chatbot value for a session's turns; interrupted replies carry a visible note."""
    messages: ChatMessages = []
    for turn in turns:
        content = inert(turn.text)
        if turn.role == "assistant" and turn.status == "interrupted" and not content and turn.error:
            # Failed before its first word (Ollama down, say): the notice under the chat says
            # what is wrong and what to do, once; an empty "Interrupted" would say it twice.
            continue
        if turn.role == "assistant" and turn.status == "interrupted":
            note = f"*{t(lang, 'interrupted')}*"
            content = f"{content}\n\n{note}" if content else note
        if content:
            messages.append({"role": turn.role, "content": content})
    return messages


def mode_name(lang: str, mode: str) -> str:
    """A mode's name for people ("Rehearse"); the stored name for a mode without one."""
    try:
        return t(lang, f"mode_{mode}")
    except KeyError:
        return mode


def session_choices(sessions: list[SessionSummary], lang: str) -> list[tuple[str, int]]:
    """Labels and ids for the session list: title, mode, language and date."""
    choices = []
    for summary in sessions:
        title = summary.title or t(lang, "untitled")
        day = summary.updated_at[:16].replace("T", " ")
        mode = mode_name(lang, summary.mode)
        choices.append((f"{title} · {mode} · {summary.lang.upper()} · {day}", summary.id))
    return choices


def notice_html(text: str, kind: str = "error") -> str:
    """An inline notice under the chat (errors and hints); empty text hides it."""
    if not text:
        return ""
    return (
        f'<div class="coach-notice coach-notice-{kind}" role="alert">{_markdown_code(text)}</div>'
    )


def _markdown_code(text: str) -> str:
    """Escape text for HTML, rendering `code` spans (used in hints such as `ollama serve`)."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def banner_html(text: str, kind: str) -> str:
    """The Ollama status banner: kind is 'ok', 'warn' or 'error'."""
    return (
        f'<div id="status-banner" class="coach-banner coach-banner-{kind}" role="status">'
        f"{_markdown_code(text)}</div>"
    )


def progress_html(label: str, fraction: float) -> str:
    """A real progress bar for a model download."""
    percent = max(0, min(100, round(fraction * 100)))
    return (
        f'<div id="pull-progress" class="coach-progress">'
        f'<progress max="100" value="{percent}"></progress>'
        f"<span>{html.escape(label)}</span></div>"
    )


def human_bytes(count: int) -> str:
    """Bytes as a short human figure (1.2 GB)."""
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


def user_lines(turns: list[Turn]) -> int:
    """How many of the turns are the user's (to tell later whether a new one was stored)."""
    return sum(1 for turn in turns if turn.role == "user")


def unsaved_text(text: str, lines_before: int, turns_now: list[Turn]) -> str | None:
    """The text to put back in the message box after an error: the user's words when they
    were not stored (refused, or the disk/database failed), None when they are safe in the
    session already (then the box stays empty and Retry resends them)."""
    return text if text and user_lines(turns_now) <= lines_before else None
