"""Practice: the model plays a coachee, the person coaches, and their listening is counted.

The conversation itself is a rehearsal with a coachee persona (the persona's prompt encodes
when the coachee opens up and when they close down); what Practice adds is the live label of
each of the person's lines and the MITI-style counts at the end, stored with the session.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from assistant import i18n, skills
from assistant.modes.rehearse import SWAP, Rehearse
from assistant.skills import SkillCounts, Unit
from assistant.store import Session, Store

PRACTICE = "practice"


def practice_mode(rehearse: Rehearse) -> Rehearse:
    """The same role-play engine, storing its sessions under the mode name 'practice'."""
    return dataclasses.replace(rehearse, name=PRACTICE)


@dataclass(frozen=True)
class Badge:
    """What one line of the person counted as, with a tip when there is one."""

    units: list[Unit]
    tip: str | None


def badge(text: str, lang: str) -> Badge:
    """Label a line the person just said; a tip for closed questions and advice."""
    units = skills.classify(text, lang)
    tips = i18n.strings_with_prefix(lang, "practice_tip_")
    tip = next((tips[u.label] for u in units if u.label in tips), None)
    return Badge(units=units, tip=tip)


@dataclass(frozen=True)
class SkillReport:
    """The counts for a practice session and the units behind them."""

    counts: SkillCounts
    units: list[Unit]
    verdict: str


def skill_report(store: Store, session: Session) -> SkillReport:
    """Count the person's lines on the current branch (lines the model wrote for them while
    roles were switched do not count); the coachee's words give the talk share."""
    turns = [t for t in store.turns(session.id) if t.text]
    coach_lines: list[str] = []
    asked: list[bool] = []
    other_words = 0
    previous_coachee = ""
    for turn in turns:
        if turn.role == "assistant":
            other_words += skills.count_words(turn.text)
            previous_coachee = turn.text
        elif turn.author != SWAP:
            coach_lines.append(turn.text)
            asked.append(skills.advice_requested(previous_coachee, session.lang))
    units: list[Unit] = []
    for number, line in enumerate(coach_lines, start=1):
        units.extend(skills.classify(line, session.lang, first_line=number))
    counts = skills.count_skills(
        coach_lines, session.lang, other_party_words=other_words, advice_requested=asked
    )
    return SkillReport(counts=counts, units=units, verdict=skills.verdict(counts, session.lang))


def save_scores(store: Store, session: Session, report: SkillReport) -> None:
    """Keep the counts with the session (the Progress view reads them from there)."""
    store.update_options(session.id, skills=report.counts.to_dict())
