"""Model-agnostic checks on every reply the model writes: cheap text rules, no model call.

A small local model fails in ways no prompt prevents: it echoes the person's line back, talks
like a helpful assistant inside a persona, rambles or repeats a sentence, answers in the other
language, reads the app's own instructions back, writes a coach's hint in the counterpart's
voice, or loops on one sentence until the token cap. ``check_reply`` names those failures as
problem strings (``"kind"`` or ``"kind: detail"``, as ``skills.out_of_role`` does), so a mode
can regenerate the reply once with a reminder, keep the better attempt (``score``) and record
what failed on the turn. ``looping`` runs on every streamed snapshot and stops a loop at once.

The modules: ``text`` (words, sentences, n-grams), ``phrases`` (the patterns per language) and
``rules`` (one function per check); this package puts them together per speaker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from assistant import i18n, skills
from assistant.reply_checks.rules import (
    assistant_voice,
    briefing_read_back,
    coaching_the_user,
    echo,
    hint_in_counterpart_voice,
    instructions_read_back,
    is_empty,
    refusal,
    repeated_sentence,
    too_long,
    wrong_language,
)
from assistant.reply_checks.text import cut_loop, looping

if TYPE_CHECKING:
    from assistant.store import Turn

__all__ = [
    "KINDS",
    "ReplyContext",
    "Speaker",
    "Tally",
    "assistant_voice",
    "briefing_read_back",
    "check_reply",
    "choose",
    "coaching_the_user",
    "context_from_turns",
    "describe",
    "cut_loop",
    "echo",
    "hint_in_counterpart_voice",
    "instructions_read_back",
    "kind_of",
    "looping",
    "refusal",
    "repeated_sentence",
    "score",
    "too_long",
    "wrong_language",
]

# Who writes the reply: a persona (counterpart, coachee), an audience member (Q&A), the
# Reflect coach, the coach who gives a hint during a time-out, or the model standing in for
# the person while the roles are switched (it plays the practising side, so coaching the
# other person is its job, and only the voice and form checks apply).
Speaker = Literal["persona", "audience", "coach", "hint", "stand_in"]

# Every kind a check can report, worst first; the weights rank two failed attempts.
WEIGHTS: dict[str, int] = {
    "empty": 100,
    "repetition_loop": 50,
    "wrong_language": 30,
    "instructions_read_back": 25,
    "echo": 20,
    "hint_voice": 20,
    "ai_disclosure": 20,
    "refusal": 20,
    "assistant_voice": 15,
    "role_break": 15,
    "coaching_user": 12,
    "technique_feedback": 12,
    "repeated_sentence": 10,
    "unasked_advice": 8,
    "stacked_questions": 5,
    "too_long": 4,
}
KINDS: tuple[str, ...] = tuple(WEIGHTS)
# The out-of-role kinds that fit the stand-in too: it may praise or coach (that is the
# practising side's part), but never says it is an AI or steps out of the rehearsal.
STAND_IN = ("ai_disclosure", "role_break")


@dataclass(frozen=True)
class ReplyContext:
    """What a reply is checked against.

    ``user_text`` is the person's last message, ``earlier`` the speaker's own earlier replies
    (the opening line included), ``instructions`` the app's own text sent with this request
    (a stage note, a turn note, a reminder), which a reply must never read back.
    ``counterpart`` is the persona's name: a hint must not speak with that voice.
    ``briefing`` is the session's fixed system prompt: a reply may echo a few of its words
    but not read a run of it out (``BRIEFING_MIN_SHARED``).
    """

    lang: str
    speaker: Speaker
    user_text: str = ""
    earlier: tuple[str, ...] = ()
    sentence_budget: int = 4
    instructions: tuple[str, ...] = ()
    counterpart: str = ""
    briefing: tuple[str, ...] = ()


def check_reply(reply: str, context: ReplyContext) -> list[str]:
    """The problems of one finished reply for its speaker ([] when it passes)."""
    if is_empty(reply):
        return ["empty"]
    problems: list[str] = []
    problems += echo(reply, context.user_text, context.earlier)
    problems += refusal(reply)
    if context.speaker in ("persona", "audience"):
        out_of_role = skills.out_of_role(reply, context.lang)
        if context.speaker == "audience":  # judging an answer ("a good summary") is its job
            out_of_role = [p for p in out_of_role if kind_of(p) != "technique_feedback"]
        problems += out_of_role
        problems += assistant_voice(reply)
        problems += coaching_the_user(reply)
    if context.speaker == "stand_in":
        problems += [p for p in skills.out_of_role(reply, context.lang) if kind_of(p) in STAND_IN]
        problems += assistant_voice(reply)
    if context.speaker == "hint":
        problems += hint_in_counterpart_voice(reply, context.counterpart)
    problems += too_long(reply, context.sentence_budget)
    problems += repeated_sentence(reply)
    problems += wrong_language(reply, context.lang)
    problems += instructions_read_back(reply, context.instructions)
    if not any(kind_of(p) == "instructions_read_back" for p in problems):
        problems += briefing_read_back(reply, context.briefing)
    return problems


def kind_of(problem: str) -> str:
    """The kind of a problem string ("echo: user" -> "echo")."""
    return problem.split(":", 1)[0].strip()


def score(problems: Iterable[str]) -> int:
    """How bad a reply's problems are together (0 = it passed; lower is better)."""
    return sum(WEIGHTS.get(kind, 5) for kind in dict.fromkeys(kind_of(p) for p in problems))


def choose(first: tuple[str, list[str]], second: tuple[str, list[str]]) -> tuple[str, list[str]]:
    """The attempt to keep of two (text, problems): the lower score; the first on a tie (a
    second attempt that fails despite its reminder often reads the reminder out). An empty
    attempt is never kept over a written one."""
    if "empty" in second[1] and "empty" not in first[1]:
        return first
    if "empty" in first[1] and "empty" not in second[1]:
        return second
    return second if score(second[1]) < score(first[1]) else first


def describe(problems: Iterable[str], lang: str, mode_prefix: str = "") -> str:
    """The problems as the one-off reminder names them, once per kind, in the language."""
    names = i18n.strings_with_prefix(lang, "reply_check_")
    if mode_prefix:
        names.update(i18n.strings_with_prefix(lang, mode_prefix))
    kinds = dict.fromkeys(kind_of(problem) for problem in problems)
    return "; ".join(names.get(kind, kind) for kind in kinds)


def context_from_turns(
    turns: Sequence[Turn],
    lang: str,
    speaker: Speaker,
    *,
    sentence_budget: int = 4,
    instructions: Sequence[str] = (),
    counterpart: str = "",
    briefing: Sequence[str] = (),
) -> ReplyContext:
    """A reply's context from the session's turns as they stand before the reply: the last
    user line and the model's own earlier replies."""
    user_text = next((t.text for t in reversed(turns) if t.role == "user"), "")
    earlier = tuple(t.text for t in turns if t.role == "assistant" and t.text)
    return ReplyContext(
        lang=lang,
        speaker=speaker,
        user_text=user_text,
        earlier=earlier[-6:],
        sentence_budget=sentence_budget,
        instructions=tuple(i for i in instructions if i),
        counterpart=counterpart,
        briefing=tuple(b for b in briefing if b),
    )


@dataclass
class Tally:
    """Counts of failed checks over many replies (the scorecard and the debrief read it)."""

    replies: int = 0
    regenerated: int = 0
    still_failing: int = 0  # replies whose kept attempt still failed a check
    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)

    def add(self, record: dict[str, list[str]] | None) -> None:
        """Count one reply by its stored checks (None: it passed on the first try)."""
        self.replies += 1
        if not record:
            return
        before = {kind_of(p) for p in record.get("before", [])}
        after = {kind_of(p) for p in record.get("after", [])}
        if before:
            self.regenerated += 1
        if after:
            self.still_failing += 1
        for kind in before:
            self.before[kind] = self.before.get(kind, 0) + 1
        for kind in after:
            self.after[kind] = self.after.get(kind, 0) + 1
