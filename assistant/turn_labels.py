"""Live labels of the user's lines in Rehearse and Q&A, stored with each turn (issue #18).

A rehearsal line gets its listening-skill labels and feedback moves (``feedback_moves``), the
one tip that applies, and the counterpart's openness after it (``openness``). A Q&A answer
gets what ``answer_metrics`` measures plus two rules of thumb:

- ``bridged``: after its first sentence the answer uses a bridge phrase back to the talk's
  message ("the key point is", "which is why", "det vigtige er", "derfor") or its last
  sentence shares two key words with the notes' first section (the talk's message);
- ``admitted_not_knowing``: it says it does not know ("I don't know", "I'm not sure", "det ved
  jeg ikke") and offers a follow-up ("I'll get back to you", "jeg vender tilbage").

``session_labels`` reads a session's labelled lines and the openness timeline of its current
branch in one call, for the page, the debrief and exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.answer_metrics import answer_metrics, key_words
from assistant.feedback_moves import line_labels, tip_key
from assistant.openness import (
    OpennessStep,
    current_level,
    movers,
    stance,
    state_note,
    timeline,
)
from assistant.prompts import PromptLibrary
from assistant.skill_rules import normalise
from assistant.skills import split_units
from assistant.store import Session, Store, Turn

SWAP = "swap"  # the author of lines written while the roles are switched (modes.rehearse)

BRIDGE = re.compile(
    r"\b(the (key|main|real) (point|message|thing)|what matters (here|most)|which is (why|exactly)"
    r"|that'?s (why|exactly why)|coming back to|back to (my|the) (point|message)|bottom line"
    r"|det (vigtige|centrale|afgørende) er|pointen er|derfor|tilbage til (min|pointen|budskabet)"
    r"|det er (netop|præcis) derfor|kernen er)\b"
)
NOT_KNOWING = re.compile(
    r"\b(i don'?t know|i do not know|i'?m not sure|i don'?t have (the|those|that)"
    r"|det ved jeg ikke|jeg ved det ikke|det er jeg ikke sikker på|jeg har ikke (tallene|tal))"
)
FOLLOW_UP = re.compile(
    r"\b(i'?ll (get back|follow up|find out|check|send|come back)|let me (check|find out)"
    r"|i will (get back|follow up|find out|send)|jeg (vender tilbage|finder ud af|sender|tjekker)"
    r"|lad mig (tjekke|undersøge|finde ud af))"
)


def user_lines(turns: list[Turn]) -> list[Turn]:
    """The user's own lines (not those written while the roles were switched)."""
    return [t for t in turns if t.role == "user" and t.author != SWAP]


def rehearsal_record(turns: list[Turn], lang: str, difficulty: str) -> dict[str, Any]:
    """The labels of the newest user line of a rehearsal (``turns`` end with it)."""
    lines = user_lines(turns)
    text = lines[-1].text
    steps = timeline([t.text for t in lines], lang, difficulty)
    labels = line_labels(text, lang)
    understood = any(s.raising for s in steps[:-1])
    return {
        "kind": "rehearse",
        "labels": labels,
        "tip": tip_key(labels, understood=understood),
        "openness": steps[-1].to_dict(),
    }


def answer_record(answer: str, question: str, message: str, lang: str) -> dict[str, Any]:
    """The labels of one Q&A answer: its numbers and what the rules of thumb find."""
    metrics = answer_metrics(answer, question, lang)
    units = split_units(answer)
    labels = ["direct" if metrics.direct_first_sentence else "not_direct"]
    later = normalise(" ".join(units[1:]))
    last = units[-1] if len(units) > 1 else ""
    if BRIDGE.search(later) or len(key_words(last) & key_words(message)) >= 2:
        labels.append("bridged")
    norm = normalise(answer)
    if NOT_KNOWING.search(norm) and FOLLOW_UP.search(norm):
        labels.append("admitted_not_knowing")
    return {
        "kind": "qa",
        "labels": labels,
        "words": metrics.words,
        "seconds": metrics.seconds,
        "tip": None if metrics.direct_first_sentence else "live_tip_direct",
    }


def label_rehearsal_line(store: Store, session: Session, turns: list[Turn]) -> dict[str, Any]:
    """Label the newest user line of a rehearsal and store the labels with its turn."""
    difficulty = str(session.options.get("difficulty", "realistic"))
    record = rehearsal_record(turns, session.lang, difficulty)
    store.set_turn_labels(session.id, turns[-1].id, record)
    return record


def label_answer(
    store: Store, session: Session, turns: list[Turn], question: str, message: str
) -> dict[str, Any]:
    """Label the newest Q&A answer and store the labels with its turn."""
    record = answer_record(turns[-1].text, question, message, session.lang)
    store.set_turn_labels(session.id, turns[-1].id, record)
    return record


def openness_steps(session: Session, turns: list[Turn]) -> list[OpennessStep]:
    """The openness after each of the user's lines on this branch."""
    difficulty = str(session.options.get("difficulty", "realistic"))
    return timeline([t.text for t in user_lines(turns)], session.lang, difficulty)


# A state note is sent again after this many lines with the same stance (so it stays near the
# end of the conversation, and within the window after a trim), as Reflect's stage note is.
NOTE_EVERY = 4


def openness_notes(prompts: PromptLibrary, session: Session, turns: list[Turn]) -> dict[int, str]:
    """The state notes the user's lines on this branch were sent with (turn id -> note).

    A note tells the counterpart its openness as it hears the line (the state before it), so
    it is known before the person types and can be read ahead (it leads the line). It goes
    with the first line, with the first line after the stance changed, and with every
    ``NOTE_EVERY``-th line of an unchanged stance; it stays on the line it was sent with,
    so each request begins with the one before it and its reply, as the model's cache holds
    them (a note on the newest line only would break that prefix every turn). The notes follow
    from the lines themselves, so nothing is stored and a rewind or a branch gets its own.
    """
    lines = user_lines(turns)
    notes = _leading_notes(prompts, session, turns)
    return {turn.id: note for turn, note in zip(lines, notes, strict=False) if note}


def next_openness_note(prompts: PromptLibrary, session: Session, turns: list[Turn]) -> str | None:
    """The note the person's next line will lead with (None when none is due): known as
    soon as their last line is answered, so it is read ahead while they type."""
    return _leading_notes(prompts, session, turns)[-1]


def first_openness_note(prompts: PromptLibrary, lang: str, difficulty: str) -> str:
    """The note a session's first line leads with: the difficulty's starting openness."""
    return state_note(prompts, current_level([], difficulty), lang)


def _leading_notes(prompts: PromptLibrary, session: Session, turns: list[Turn]) -> list[str | None]:
    """The note each of the user's lines on this branch leads with, and the next line's."""
    difficulty = str(session.options.get("difficulty", "realistic"))
    steps = openness_steps(session, turns)
    levels = [step.before for step in steps] + [current_level(steps, difficulty)]
    notes: list[str | None] = []
    last: tuple[str, int] | None = None
    for index, level in enumerate(levels):
        now = stance(level)
        due = last is None or last[0] != now or index - last[1] >= NOTE_EVERY
        notes.append(state_note(prompts, level, session.lang) if due else None)
        if due:
            last = (now, index)
    return notes


def turning_point(session: Session, turns: list[Turn]) -> str | None:
    """The user's line after which the counterpart closed down most on this branch, in their
    exact words (None when no line lowered the openness): the debrief's "try next time"
    starts there."""
    _, worst = movers(openness_steps(session, turns))
    return worst.text if worst is not None else None


def openness_note(prompts: PromptLibrary, session: Session, turns: list[Turn]) -> str:
    """The counterpart's state now, as a note (whether or not the newest line carries one)."""
    difficulty = str(session.options.get("difficulty", "realistic"))
    level = current_level(openness_steps(session, turns), difficulty)
    return state_note(prompts, level, session.lang)


@dataclass
class LabelledLine:
    """One of the user's lines with its stored labels."""

    turn_id: int
    text: str
    labels: list[str]
    tip: str | None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class SessionLabels:
    """A session's labelled user lines and (for a rehearsal) its openness timeline."""

    lines: list[LabelledLine]
    openness: list[OpennessStep]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape, for exports."""
        return {
            "lines": [
                {"turn_id": x.turn_id, "text": x.text, "labels": x.labels, "tip": x.tip}
                for x in self.lines
            ],
            "openness": [step.to_dict() for step in self.openness],
        }


def session_labels(store: Store, session: Session) -> SessionLabels:
    """The labels of the session's user lines on its current branch and the openness timeline.

    One call for the debrief, Progress and exports; lines stored before labels existed carry
    none.
    """
    turns = store.turns(session.id)
    stored = store.turn_labels(session.id)
    lines = [
        LabelledLine(
            t.id,
            t.text,
            list(stored.get(t.id, {}).get("labels", [])),
            stored.get(t.id, {}).get("tip"),
            stored.get(t.id, {}),
        )
        for t in user_lines(turns)
        if t.id in stored
    ]
    steps = openness_steps(session, turns) if session.mode != "qa" else []
    return SessionLabels(lines, steps)


def labels_text(record: dict[str, Any], lang: str) -> str:
    """A stored record as one plain line for the terminal: the chips, openness and the tip."""
    from assistant import i18n

    parts = [i18n.t(lang, f"chip_{label}") for label in record.get("labels", [])]
    if "words" in record:
        parts.append(
            i18n.t(lang, "chip_words", words=record["words"], seconds=record.get("seconds", 0))
        )
    openness = record.get("openness")
    if openness:
        parts.append(i18n.t(lang, "chip_openness", level=openness.get("after")))
    text = "[" + " · ".join(parts) + "]"
    tip = record.get("tip")
    return f"{text} {i18n.t(lang, tip)}" if tip else text
