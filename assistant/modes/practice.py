"""Practice: the model plays a coachee, the person coaches, and their listening is counted.

The conversation itself is a rehearsal with a coachee persona (the persona's prompt encodes
when the coachee opens up and when they close down); what Practice adds is the live label of
each of the person's lines and the MITI-style counts at the end, stored with the session.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

from assistant import i18n, skills
from assistant.debrief import DebriefDraft
from assistant.feedback import DebriefResult
from assistant.modes.rehearse import SWAP, Rehearse
from assistant.scenarios import Scenario, ScenarioBook
from assistant.skills import SkillCounts, Unit
from assistant.store import Session, Store, Turn

PRACTICE = "practice"


@dataclass
class Practice:
    """The person coaches a coachee the model plays; their listening is counted.

    The conversation is Rehearse's role-play engine (storing its sessions under the mode name
    'practice'); Practice adds the live badge of each line and the counts at the end.
    """

    engine: Rehearse
    name: str = PRACTICE

    @property
    def scenarios(self) -> ScenarioBook:
        """The scenarios (Practice offers their coachee personas)."""
        return self.engine.scenarios

    def coachees(self, lang: str, user_id: int | None) -> list[Scenario]:
        """The scenarios whose counterpart is a coachee, for the persona picker."""
        return [s for s in self.scenarios.all(lang, user_id) if s.role == "coachee"]

    def start(self, user_id: int, lang: str, options: dict[str, Any] | None = None) -> Session:
        """Start coaching ``options["scenario"]``'s coachee at ``options["difficulty"]``."""
        return self.engine.start(user_id, lang, options)

    def warm_scenario(self, user_id: int, lang: str, options: dict[str, Any]) -> bool:
        """The person picked a coachee: read its session prefix ahead of the start."""
        return self.engine.warm_scenario(user_id, lang, options)

    def prompt_head(self, lang: str) -> str:
        """The start of every session's system prompt (Rehearse's role-play rules)."""
        return self.engine.prompt_head(lang)

    def respond(
        self, session: Session, text: str, turns: list[Turn] | None = None
    ) -> Iterator[str]:
        """Store the person's line, then stream the coachee's reply."""
        return self.engine.respond(session, text, turns)

    def retry(self, session: Session, turns: list[Turn] | None = None) -> Iterator[str]:
        """Answer the last line again after an interrupted or failed reply."""
        return self.engine.retry(session, turns)

    def scenario(self, session: Session) -> Scenario:
        """The scenario whose coachee a session talks to."""
        return self.engine.scenario(session)

    def debrief(self, session: Session) -> DebriefResult:
        """Write and store the balanced debrief of the session."""
        return self.engine.debrief(session)

    def debrief_stream(
        self, session: Session, cancelled: threading.Event | None = None
    ) -> Generator[DebriefDraft, None, DebriefResult | None]:
        """The debrief section by section as it is written (see ``Rehearse.debrief_stream``)."""
        return self.engine.debrief_stream(session, cancelled)

    def end(self, session: Session) -> SkillReport:
        """End the session: count the person's listening and keep the counts with it (the
        Progress view reads them); the debrief (``debrief``) is the slow part that follows."""
        store = self.engine.conversation.store
        report = skill_report(store, session)
        save_scores(store, session, report)
        return report


def practice_mode(rehearse: Rehearse) -> Practice:
    """Practice on the same role-play engine, storing its sessions under 'practice'."""
    return Practice(engine=dataclasses.replace(rehearse, name=PRACTICE))


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
