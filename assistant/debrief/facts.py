"""What a debrief knows without asking the model: the user's own lines to quote, the counts of
their listening skills, the strategy to cite, a fallback "try next time" that follows from the
counts, and what the reply checks found in the model's own replies (about the model, kept
apart from the user's counts and never sent to the model's rating).

These are computed at once, so the page shows them the moment the debrief starts, and the
model is asked only for the few sentences that need judgement (see ``sections``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant import i18n, skills
from assistant.feedback import Passage
from assistant.reply_checks import Tally
from assistant.skill_rules import ADVICE, AFFIRMATION, CLOSED, COMPLEX, OPEN, SIMPLE
from assistant.skills import SkillCounts
from assistant.store import Turn

MAX_QUOTES = 2
MAX_QUOTE_CHARS = 160

# Which of the user's units make the best "what worked" quotes, best first.
QUOTE_PRIORITY = (COMPLEX, SIMPLE, OPEN, AFFIRMATION)


@dataclass(frozen=True)
class Quote:
    """A unit of the user's own words and what the skills classifier called it."""

    text: str
    label: str


@dataclass(frozen=True)
class DebriefFacts:
    """Everything a debrief shows or asks about that needs no model."""

    lang: str
    person: str
    quotes: list[Quote]
    criteria: list[str]
    passages: list[Passage]
    counts: SkillCounts
    lines: list[str] = field(default_factory=list)  # observations, e.g. Q&A answer lengths
    # The user's exact words after which the other person closed down most (the openness
    # timeline of a rehearsal): the first candidate for "try next time".
    turning_point: str | None = None
    # What the reply checks found in the model's replies ("About the model, not your lines:
    # ..."); shown apart from the user's counts, never given to the model's sections.
    model_notes: list[str] = field(default_factory=list)

    @property
    def strategy(self) -> Passage | None:
        """The passage the "try next time" draws on (the scenario's own strategy first)."""
        return self.passages[0] if self.passages else None


def pick_quotes(user_lines: Sequence[str], lang: str, limit: int = MAX_QUOTES) -> list[Quote]:
    """Up to ``limit`` units of the user's own lines, copied exactly: reflections, open
    questions and affirmations first, then the earliest other units (never advice or a closed
    question when something better exists)."""
    units: list[Quote] = []
    for line in user_lines:
        for unit in skills.classify(line, lang):
            text = _phrase(unit.text.strip())
            if text and all(text != q.text for q in units):
                units.append(Quote(text, unit.label))
    rank = {label: index for index, label in enumerate(QUOTE_PRIORITY)}
    weak = {ADVICE: 2, CLOSED: 1}
    ordered = sorted(
        enumerate(units),
        key=lambda item: (rank.get(item[1].label, len(rank) + weak.get(item[1].label, 0)), item[0]),
    )
    chosen = sorted(ordered[:limit], key=lambda item: item[0])  # back in the order said
    return [quote for _, quote in chosen]


def _phrase(text: str) -> str:
    """A long unit cut at a word boundary: still the user's exact words, in order."""
    if len(text) <= MAX_QUOTE_CHARS:
        return text
    return text[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def count_lines(user_lines: Sequence[str], lang: str) -> SkillCounts:
    """The MITI-style counts of the user's lines."""
    return skills.count_skills(list(user_lines), lang)


def skill_line(counts: SkillCounts, lang: str) -> str:
    """The counts in one sentence, e.g. "Your lines: 2 open questions, 1 reflection, ..."."""
    t = i18n.strings_with_prefix(lang, "debrief_count_")
    parts = [
        t["open"].format(n=counts.open_question),
        t["closed"].format(n=counts.closed_question),
        t["reflections"].format(n=counts.reflections),
        t["advice"].format(n=counts.advice),
    ]
    return i18n.t(lang, "debrief_counts", counts=", ".join(parts))


def fallback_growth(counts: SkillCounts, lang: str) -> tuple[str, str]:
    """A "try next time" and a line to say that follow from the counts alone, used when the
    model's growth section cannot be read: more open questions, fewer unasked advice, else a
    reflection before moving on."""
    if counts.advice > 0:
        key = "advice"
    elif counts.closed_question > counts.open_question:
        key = "closed"
    else:
        key = "reflect"
    rest = i18n.t(lang, f"debrief_fallback_try_{key}")
    return f"{i18n.t(lang, 'debrief_try_next')} {rest}", i18n.t(lang, f"debrief_fallback_say_{key}")


def fallback_why(quote: Quote, lang: str) -> str:
    """Why a quoted unit helped, from its label alone (when the model's sentence is missing)."""
    names = i18n.strings_with_prefix(lang, "debrief_why_")
    return names.get(quote.label, names["other"])


def model_reply_tally(
    records: Mapping[int, Mapping[str, list[str]]], replies: Sequence[Turn]
) -> Tally:
    """The check records (``Store.turn_checks``) of the model's replies counted."""
    tally = Tally()
    for reply in replies:
        record = records.get(reply.id)
        tally.add({key: list(value) for key, value in record.items()} if record else None)
    return tally


def model_reply_line(tally: Tally, lang: str) -> str | None:
    """One sentence about the model's own replies: how many failed a check and were written
    again, and how many still had a flaw when shown (by kind); None when none failed."""
    if not tally.regenerated:
        return None
    t = i18n.strings_with_prefix(lang, "model_replies")
    written = t["_written_one"] if tally.regenerated == 1 else t["_written_many"]
    line = t[""].format(failed=tally.regenerated, total=tally.replies, written=written)
    kept = tally.still_failing
    if kept:
        names = i18n.strings_with_prefix(lang, "model_check_")
        kinds = ", ".join(names.get(kind, kind) for kind in tally.after)
        line += " " + t["_kept"].format(kept=kept, kinds=kinds)
    return line
