"""How open the counterpart of a rehearsal is, turn by turn: a level from 0 to 10 moved by rules.

The rules (no model call; the same lines always give the same levels):

- The level starts from the difficulty: cooperative 6, realistic 4, resistant 2.
- After each of the user's lines, the line's signals are counted (``line_signals``):
  raising: a reflection (simple or complex), an open question, a concrete observation of
  behaviour, a check of understanding, an I-statement about impact;
  lowering: blame, a generalisation ("always", "never", "altid"), advice before any
  reflection or open question in the conversation, stacked questions (two or more question
  units in one line), closed questions with no open one. A check of understanding ("Did I
  get that right?") is not counted as a question for these two.
- A line with blame raises nothing, whatever else it holds (the blame is what is heard).
- A generalisation inside a reflection of their experience ("it sounds like it happens all
  the time") is not held against the line; anywhere else it lowers the level.
- The move is ``up`` per raising signal and ``down`` per lowering signal, each counted at most
  twice, by difficulty: cooperative up 2 / down 1, realistic up 1 / down 1, resistant up 1 /
  down 2. The level stays within 0-10.
- After the session, ``movers`` quotes the line that raised the level most and the one that
  lowered it most; a tie goes to the line that crossed the reveal threshold, then to one that
  changed the stance ("closed" below 4, "cautious", "open" from 7), then to the latest.
- Hidden concerns may be revealed only at ``REVEAL_AT`` (7) or above; the counterpart's turn
  gets a short state note in the newest user message saying so (``state_note``), so the
  system prompt and the cached prefix stay the same for the whole session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from assistant.feedback_moves import BLAME, CHECK, GENERALISATION, I_STATEMENT, OBSERVATION
from assistant.feedback_moves import feedback_moves as find_moves
from assistant.prompts import PromptLibrary
from assistant.skills import classify

LOWEST, HIGHEST = 0, 10
REVEAL_AT = 7
CAUTIOUS_AT = 4
PROMPTS = "rehearse"  # the prompt folder of the state notes
MAX_COUNTED = 2


@dataclass(frozen=True)
class OpennessRule:
    """Where a difficulty starts and how far one signal moves the level."""

    start: int
    up: int
    down: int


RULES: dict[str, OpennessRule] = {
    "cooperative": OpennessRule(start=6, up=2, down=1),
    "realistic": OpennessRule(start=4, up=1, down=1),
    "resistant": OpennessRule(start=2, up=1, down=2),
}

RAISING = ("reflection", "open_question", OBSERVATION, CHECK, I_STATEMENT)
LOWERING = (BLAME, GENERALISATION, "advice_too_soon", "stacked_questions", "closed_only")


def rule_for(difficulty: str) -> OpennessRule:
    """The rule of a difficulty (realistic for an unknown one)."""
    return RULES.get(difficulty, RULES["realistic"])


@dataclass(frozen=True)
class Signals:
    """What one line does to openness: the raising and lowering signals found in it."""

    raising: tuple[str, ...]
    lowering: tuple[str, ...]
    listened: bool  # it reflected or asked openly (advice after this is no longer too soon)


def line_signals(text: str, lang: str, *, understood: bool) -> Signals:
    """The raising and lowering signals of one line (see the module docstring).

    ``understood`` says whether an earlier line of the conversation reflected or asked openly.
    """
    labels = [unit.label for unit in classify(text, lang)]
    moves = find_moves(text, lang)
    questions = [label for label in labels if label in ("open_question", "closed_question")]
    if CHECK in moves and "closed_question" in questions:
        questions.remove("closed_question")  # a check of understanding is closed by design
    reflected = any(label.startswith("reflection") for label in labels)
    listened = reflected or "open_question" in labels
    lowering = [BLAME] if BLAME in moves else []
    if GENERALISATION in moves and (BLAME in moves or not reflected):
        lowering.append(GENERALISATION)
    if "advice" in labels and not understood and not listened:
        lowering.append("advice_too_soon")
    if len(questions) > 1:
        lowering.append("stacked_questions")
    if questions and "open_question" not in questions:
        lowering.append("closed_only")
    raising: list[str] = []
    if BLAME not in moves:
        if reflected:
            raising.append("reflection")
        if "open_question" in labels and len(questions) == 1:
            raising.append("open_question")
        raising += [move for move in (OBSERVATION, CHECK, I_STATEMENT) if move in moves]
    return Signals(tuple(raising), tuple(lowering), listened and BLAME not in moves)


def next_level(level: int, signals: Signals, difficulty: str) -> int:
    """The level after a line with these signals, at this difficulty (within 0-10)."""
    rule = rule_for(difficulty)
    up = min(MAX_COUNTED, len(signals.raising)) * rule.up
    down = min(MAX_COUNTED, len(signals.lowering)) * rule.down
    return max(LOWEST, min(HIGHEST, level + up - down))


@dataclass(frozen=True)
class OpennessStep:
    """The level after one of the user's lines, the line, and why it moved."""

    line: int
    text: str
    before: int
    after: int
    raising: tuple[str, ...]
    lowering: tuple[str, ...]

    @property
    def delta(self) -> int:
        """How far this line moved the level (negative when it fell)."""
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a step (stored with the turn)."""
        data = asdict(self)
        data["raising"], data["lowering"] = list(self.raising), list(self.lowering)
        return data


def timeline(lines: Sequence[str], lang: str, difficulty: str) -> list[OpennessStep]:
    """The openness after each of the user's lines, from the difficulty's start."""
    level, understood = rule_for(difficulty).start, False
    steps = []
    for number, text in enumerate(lines, start=1):
        signals = line_signals(text, lang, understood=understood)
        after = next_level(level, signals, difficulty)
        steps.append(OpennessStep(number, text, level, after, signals.raising, signals.lowering))
        level, understood = after, understood or signals.listened
    return steps


def current_level(steps: Sequence[OpennessStep], difficulty: str) -> int:
    """The level now: after the last step, or the difficulty's start before any line."""
    return steps[-1].after if steps else rule_for(difficulty).start


def revealable(level: int) -> bool:
    """May the counterpart now share a hidden concern?"""
    return level >= REVEAL_AT


def movers(steps: Sequence[OpennessStep]) -> tuple[OpennessStep | None, OpennessStep | None]:
    """The line that raised openness most and the one that lowered it most (None if none).

    Among lines that moved it by the same amount, the one that crossed the reveal threshold
    wins, then one that changed the stance, then the latest: the same lines always give the
    same quote.
    """
    rises = [s for s in steps if s.delta > 0]
    falls = [s for s in steps if s.delta < 0]
    best = max(rises, key=_mover_rank) if rises else None
    worst = max(falls, key=_mover_rank) if falls else None
    return best, worst


def _mover_rank(step: OpennessStep) -> tuple[int, bool, bool, int]:
    crossed = revealable(step.before) != revealable(step.after)
    return abs(step.delta), crossed, stance(step.before) != stance(step.after), step.line


def stance(level: int) -> str:
    """The name of the counterpart's stance at a level: "open", "cautious" or "closed"."""
    if revealable(level):
        return "open"
    return "cautious" if level >= CAUTIOUS_AT else "closed"


def state_note(prompts: PromptLibrary, level: int, lang: str) -> str:
    """The short instruction for the counterpart's next turn, in its tags (never stored)."""
    how = prompts.render(PROMPTS, f"openness-{stance(level)}", lang).strip()
    return prompts.render(PROMPTS, "openness", lang, level=level, stance=how).strip()
