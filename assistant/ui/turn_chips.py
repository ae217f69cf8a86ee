"""The live labels as chips under the user's lines, and the openness chart after a rehearsal.

Chips are small HTML spans appended to a user message of the Chatbot (its sanitiser keeps
``class`` but drops ``data-*`` attributes, so a chip names its label in a class, ``chip-blame``);
every text in them is escaped, so a line's own words never become markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from assistant.feedback_moves import line_labels, tip_key
from assistant.modes.rehearse import SWAP
from assistant.openness import REVEAL_AT, OpennessStep, movers
from assistant.store import Turn
from assistant.ui.i18n import t
from assistant.ui.render import inert

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
    if not spans and not tip_html:
        return ""  # nothing to show (a meter-only record before its level is known)
    return f'<div class="turn-chips">{"".join(spans)}{tip_html}</div>'


def live_record(text: str, lang: str) -> dict[str, Any]:
    """The labels of a line just sent, before its stored record is read back."""
    labels = line_labels(text, lang)
    return {"labels": labels, "tip": tip_key(labels, understood=True)}


def with_chips(message: dict[str, Any], record: dict[str, Any] | None, lang: str, **kw: Any) -> Any:
    """A chat message with the chips of its record under it (unchanged without one)."""
    shown = chips_html(record, lang, **kw) if record else ""
    return {**message, "content": f"{message['content']}\n\n{shown}"} if shown else message


def shown_records(
    records: dict[int, dict[str, Any]] | None, *, chips: bool, meter: bool
) -> dict[int, dict[str, Any]] | None:
    """The stored records as the page's toggles show them: all of each record with the
    chips on, only its openness level with the chips off and the meter on, none with both
    off."""
    if not records or not (chips or meter):
        return None
    if chips:
        return records
    return {turn: {"openness": r["openness"]} for turn, r in records.items() if r.get("openness")}


def rehearse_chat(
    turns: list[Turn],
    lang: str,
    labels: dict[int, dict[str, Any]] | None = None,
    *,
    meter: bool = False,
) -> list[dict[str, str]]:
    """The conversation for the chat component, with quiet notes under flagged replies and,
    given ``labels`` (stored per turn id), the chips under the user's lines."""
    messages = []
    for turn in turns:
        text = inert(turn.text)
        if turn.author == SWAP:
            text = f"{text}\n\n*{t(lang, 'rehearse_swapped_note')}*"
        if turn.warning:
            text = f"{text}\n\n*{t(lang, 'rehearse_warning')}*"
        if turn.status == "interrupted":  # stopped or cut off: the next line goes on from here
            text = f"{text}\n\n*{t(lang, 'rehearse_interrupted')}*"
        message = {"role": turn.role, "content": text}
        messages.append(with_chips(message, (labels or {}).get(turn.id), lang, meter=meter))
    return messages


def with_level(
    live: dict[str, Any], records: dict[int, dict[str, Any]], turns: list[Turn]
) -> dict[str, Any]:
    """A live record with the openness level stored for the newest user line in ``turns``
    (the meter's chip while the reply streams); unchanged before it is stored. The level
    is marked as looked up either way, so it is read once per reply."""
    newest = next((turn for turn in reversed(turns) if turn.role == "user"), None)
    record = records.get(newest.id) if newest is not None else None
    return {**live, "openness": (record or {}).get("openness")}


def chip_last_user_line(
    chat: ChatMessages, record: dict[str, Any], lang: str, *, meter: bool = False
) -> ChatMessages:
    """The chat with ``record``'s chips (and, with ``meter``, its level) under its newest user
    message (see ``live_record``)."""
    for index in range(len(chat) - 1, -1, -1):
        if chat[index].get("role") == "user":
            marked = with_chips(chat[index], record, lang, meter=meter)
            return [*chat[:index], marked, *chat[index + 1 :]]
    return chat


def _page_text(message: Any) -> str:
    """The text of a chat message as the browser sent it (a string or a list of parts)."""
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else []
    return "".join(str(p.get("text", "")) for p in parts if isinstance(p, dict))


def keeping_shown_reply(
    render: Callable[[list[Turn]], ChatMessages], shown: Any
) -> Callable[[list[Turn]], ChatMessages]:
    """A Stop's render: the chat as stored, except that a stopped reply the store does not
    hold in full yet shows the words the page had already shown (the reply's thread stores
    them at the model's next chunk, which may come after Stop has read the store; without
    this the words the person saw would vanish until the next line).

    ``shown`` is the page's chat as the browser sent it: it is shown back to that page only,
    never stored, and only where the stored reply is the start of it."""
    page = shown if isinstance(shown, list) else []

    def render_kept(turns: list[Turn]) -> ChatMessages:
        chat = render(turns)
        last = turns[-1] if turns else None
        if last is None or last.role != "assistant" or last.status != "interrupted":
            return chat
        if not chat or len(page) != len(chat) or page[-1].get("role") != "assistant":
            return chat  # the page did not show this reply (e.g. stopped before a word)
        seen, stored, content = _page_text(page[-1]), inert(last.text), chat[-1]["content"]
        if len(seen) > len(stored) and seen.startswith(stored) and content.startswith(stored):
            rest = content[len(stored) :]
            if not stored and not rest.startswith("\n"):  # the note alone goes under the words
                rest = "\n\n" + rest
            return [*chat[:-1], {**chat[-1], "content": seen + rest}]
        return chat

    return render_kept


def _short(text: str, limit: int = 90) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def openness_chart_html(steps: Sequence[OpennessStep], person: str, lang: str) -> str:
    """A small SVG line chart of openness over the user's lines, with the lines that moved it
    most; an empty state without lines.

    The y axis is fixed at 0-10 (a level means the same in every rehearsal) with the reveal
    threshold drawn across; x is the user's line number, 0 the level before the first line.
    """
    title = _text(t(lang, "openness_title", person=person))
    if not steps:
        return (
            f'<div id="openness-chart"><b>{title}</b>'
            f'<p class="openness-empty">{_text(t(lang, "openness_empty"))}</p></div>'
        )
    svg = _openness_svg([steps[0].before, *(s.after for s in steps)], person, lang)
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


def _openness_svg(levels: list[int], person: str, lang: str) -> str:
    """The chart itself: axes with titles and ticks, the threshold line and the levels."""
    width, height = 600, 230
    # Room for the y title and ticks, the x title, and the threshold's name right of the plot
    # (inside it, the line of levels would run through the words).
    left, right, top, bottom = 58, 180, 12, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    dx = plot_w / max(1, len(levels) - 1)

    def x(index: int) -> float:
        return left + index * dx

    def y(level: int) -> float:
        return top + plot_h - level * plot_h / 10

    small = 'font-size="10" fill="#475467"'
    y_ticks = "".join(
        f'<line x1="{left}" x2="{width - right}" y1="{y(v):.0f}" y2="{y(v):.0f}" '
        f'stroke="#eaecf0"/>'
        f'<text x="{left - 6}" y="{y(v) + 3:.0f}" {small} text-anchor="end">{v}</text>'
        for v in range(11)
    )
    every = max(1, -(-(len(levels) - 1) // 12))  # at most about 12 labels on the x axis
    x_ticks = "".join(
        f'<text x="{x(i):.0f}" y="{top + plot_h + 14}" {small} text-anchor="middle">{i}</text>'
        for i in range(0, len(levels), every)
    )
    axes = (
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#98a2b3"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="#98a2b3"/>'
        f'<text class="openness-x-title" x="{left + plot_w / 2:.0f}" y="{height - 6}" '
        f'font-size="11" text-anchor="middle">{_text(t(lang, "openness_turn"))}</text>'
        f'<text class="openness-y-title" x="14" y="{top + plot_h / 2:.0f}" font-size="11" '
        f'text-anchor="middle" transform="rotate(-90 14 {top + plot_h / 2:.0f})">'
        f"{_text(t(lang, 'openness_level'))}</text>"
    )
    at = y(REVEAL_AT)
    reveal = _text(t(lang, "openness_reveal_line"))
    threshold = (
        f'<line class="openness-reveal" x1="{left}" x2="{width - right}" y1="{at:.0f}" '
        f'y2="{at:.0f}" stroke="#12b76a" stroke-width="1.5" stroke-dasharray="5 3"/>'
        f'<text x="{width - right + 8}" y="{at + 3:.0f}" font-size="10" fill="#067647" '
        f'text-anchor="start">{reveal} ({REVEAL_AT}+)</text>'
    )
    points = " ".join(f"{x(i):.0f},{y(v):.0f}" for i, v in enumerate(levels))
    dots = "".join(
        f'<circle cx="{x(i):.0f}" cy="{y(v):.0f}" r="3.5" data-level="{v}"/>'
        for i, v in enumerate(levels)
    )
    label = html.escape(t(lang, "openness_title", person=person))
    return (
        f'<svg viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'role="img" aria-label="{label}">{y_ticks}{axes}{threshold}{x_ticks}'
        f'<polyline fill="none" stroke="#175cd3" stroke-width="2" points="{points}"/>'
        f'<g fill="#175cd3">{dots}</g></svg>'
    )
