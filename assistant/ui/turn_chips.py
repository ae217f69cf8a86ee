"""The live labels as chips under the user's lines, and the openness chart after a rehearsal.

Chips are small HTML spans appended to a user message of the Chatbot (its sanitiser keeps
``class`` but drops ``data-*`` attributes, so a chip names its label in a class, ``chip-blame``);
every text in them is escaped, so a line's own words never become markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from assistant.feedback_moves import line_labels, tip_key
from assistant.openness import REVEAL_AT, OpennessStep, movers
from assistant.ui.i18n import t

ChatMessages = list[dict[str, Any]]

GOOD = {
    "open_question",
    "reflection_simple",
    "reflection_complex",
    "affirmation",
    "observation",
    "i_statement",
    "request",
    "check_understanding",
    "direct",
    "bridged",
    "admitted_not_knowing",
}
WATCH = {"closed_question", "advice", "blame", "generalisation", "not_direct"}


def _text(text: str) -> str:
    """Text for an HTML text node: markup in it is shown, never interpreted."""
    return html.escape(text, quote=False)


def chips_html(record: dict[str, Any], lang: str, *, meter: bool = False) -> str:
    """The chips of one labelled line (and its tip, when one applies)."""
    spans = []
    for label in record.get("labels", []):
        kind = "good" if label in GOOD else "watch" if label in WATCH else "plain"
        name = _text(t(lang, f"chip_{label}"))
        spans.append(f'<span class="turn-chip turn-chip-{kind} chip-{label}">{name}</span>')
    if "words" in record:
        words = t(lang, "chip_words", words=record["words"], seconds=record.get("seconds", 0))
        spans.append(f'<span class="turn-chip turn-chip-plain">{_text(words)}</span>')
    openness = record.get("openness")
    if meter and openness:
        level = html.escape(t(lang, "chip_openness", level=openness.get("after")))
        spans.append(f'<span class="turn-chip turn-chip-meter">{level}</span>')
    tip = record.get("tip")
    tip_html = f'<div class="turn-tip">{_text(t(lang, tip))}</div>' if tip else ""
    return f'<div class="turn-chips">{"".join(spans)}{tip_html}</div>'


def live_record(text: str, lang: str) -> dict[str, Any]:
    """The labels of a line just sent, before its stored record is read back."""
    labels = line_labels(text, lang)
    return {"labels": labels, "tip": tip_key(labels, understood=True)}


def with_chips(message: dict[str, Any], record: dict[str, Any] | None, lang: str, **kw: Any) -> Any:
    """A chat message with the chips of its record under it (unchanged without one)."""
    if not record:
        return message
    return {**message, "content": f"{message['content']}\n\n{chips_html(record, lang, **kw)}"}


def chip_last_user_line(chat: ChatMessages, record: dict[str, Any], lang: str) -> ChatMessages:
    """The chat with ``record``'s chips under its newest user message (see ``live_record``)."""
    for index in range(len(chat) - 1, -1, -1):
        if chat[index].get("role") == "user":
            marked = with_chips(chat[index], record, lang)
            return [*chat[:index], marked, *chat[index + 1 :]]
    return chat


def _short(text: str, limit: int = 90) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def openness_chart_html(steps: Sequence[OpennessStep], person: str, lang: str) -> str:
    """A small SVG line chart of openness over the user's lines, with the lines that moved it
    most; an empty state without lines."""
    title = _text(t(lang, "openness_title", person=person))
    if not steps:
        return (
            f'<div id="openness-chart"><b>{title}</b>'
            f'<p class="openness-empty">{_text(t(lang, "openness_empty"))}</p></div>'
        )
    width, height, pad = 360, 140, 24
    levels = [steps[0].before, *(s.after for s in steps)]
    dx = (width - 2 * pad) / max(1, len(levels) - 1)

    def y(level: int) -> float:
        return height - pad - level * (height - 2 * pad) / 10

    points = " ".join(f"{pad + i * dx:.0f},{y(v):.0f}" for i, v in enumerate(levels))
    dots = "".join(
        f'<circle cx="{pad + i * dx:.0f}" cy="{y(v):.0f}" r="3" data-level="{v}"/>'
        for i, v in enumerate(levels)
    )
    ticks = "".join(
        f'<text x="{pad + i * dx:.0f}" y="{height - 6}" font-size="10" text-anchor="middle">'
        f"{i}</text>"
        for i in range(len(levels))
    )
    reveal = _text(t(lang, "openness_reveal_line"))
    svg = (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{html.escape(t(lang, "openness_title", person=person))}">'
        f'<line x1="{pad}" x2="{width - pad}" y1="{y(REVEAL_AT):.0f}" y2="{y(REVEAL_AT):.0f}" '
        f'stroke="#12b76a" stroke-dasharray="4 3"/>'
        f'<text x="{width - pad}" y="{y(REVEAL_AT) - 4:.0f}" font-size="10" text-anchor="end">'
        f"{reveal}</text>"
        f'<polyline fill="none" stroke="#175cd3" stroke-width="2" points="{points}"/>'
        f'<g fill="#175cd3">{dots}</g>{ticks}</svg>'
    )
    best, worst = movers(steps)
    notes = []
    if best is not None:
        line = _short(best.text)
        notes.append(t(lang, "openness_opened_after", person=person, line=line))
    if worst is not None:
        line = _short(worst.text)
        notes.append(t(lang, "openness_closed_after", person=person, line=line))
    items = "".join(f'<li class="openness-mover">{_text(n)}</li>' for n in notes)
    return f'<div id="openness-chart"><b>{title}</b><div>{svg}</div><ul>{items}</ul></div>'
