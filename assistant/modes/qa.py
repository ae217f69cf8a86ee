"""Presentation Q&A: the model plays an audience member who questions the user's notes.

The system prompt (audience persona from the ``qa-*`` scenario files, difficulty, the number of
questions and the user's notes split into numbered sections ``[§1]``, ``[§2]`` ... inside
``<presentation-notes>`` tags marked as reference material) is rendered once at the start.

The app, not the model, keeps the count: after each answer it measures the answer
(``answer_metrics``) and decides the next move, which reaches the model as a short
``<turn-note>`` leading the answer, kept on it afterwards (so the prefix stays stable). The
move a direct answer gets is read ahead while the person answers (``_read_ahead``):

- the answer did not answer in its first sentence and this question has had no follow-up yet:
  follow up once (not counted as a new question);
- N questions asked: close the round (the session is then done);
- otherwise: ask the next question, citing its section.

On "resistant", an answer over ``INTERRUPT_WORDS`` words gets a short interruption first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant import i18n, reply_checks
from assistant.answer_metrics import answer_metrics
from assistant.debrief import DebriefDraft, final_result, stream_debrief
from assistant.errors import CoachError
from assistant.feedback import DebriefResult, Passage, library_passages
from assistant.modes.base import Conversation, current, reread, with_note
from assistant.modes.qa_notes import (
    MAX_NOTES_CHARS,
    MAX_SECTIONS,
    NOTES_TAG,
    cited_sections,
    no_notes_error,
    notes_from_file,
    notes_too_long,
    numbered_notes,
    split_sections,
)
from assistant.prompts import PromptLibrary, join_parts
from assistant.scenarios import AUDIENCES, DIFFICULTIES, Persona, ScenarioBook, ScenarioError
from assistant.store import Session, Turn
from assistant.turn_labels import label_answer

# The notes' helpers live in qa_notes; they are this mode's public names too.
__all__ = [
    "MAX_NOTES_CHARS",
    "MAX_SECTIONS",
    "NOTES_TAG",
    "PresentationQA",
    "cited_sections",
    "notes_from_file",
    "numbered_notes",
    "qa_mode",
    "split_sections",
]

PROMPTS = "qa"
INTERRUPT_WORDS = 150
MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS = 1, 10, 3

# Which scenario file plays which audience (the technical expert is the detail analyst).
AUDIENCE_SCENARIOS = {
    "sceptical-executive": "qa-sceptical-executive",
    "technical-expert": "qa-detail-analyst",
    "newcomer": "qa-newcomer",
    "hostile-stakeholder": "qa-hostile-stakeholder",
}


def round_over_error() -> CoachError:
    """The message for an answer after the question round has closed."""
    return CoachError(
        "qa_over",
        "This question round is over. Start a new one to practise again.",
        "Spørgerunden er slut. Start en ny for at øve igen.",
    )


@dataclass
class PresentationQA:
    """The audience member who asks questions about the user's presentation notes."""

    conversation: Conversation
    prompts: PromptLibrary
    scenarios: ScenarioBook | None = None
    grounding: Callable[[str, str, list[str]], list[Passage]] | None = None
    name: str = "qa"

    # --- starting -----------------------------------------------------------------------------

    def start(self, user_id: int, lang: str, options: dict[str, Any] | None = None) -> Session:
        """Start a question round on ``options["notes"]`` for ``options["audience"]`` with
        ``options["questions"]`` questions at ``options["difficulty"]``.

        The user's "ready" line is stored as the first turn; ``retry`` (or ``opening``) then
        streams the first question.
        """
        options = dict(options or {})
        lang = i18n.lang_code(lang)
        notes, audience, difficulty, questions = round_options(options)
        sections = split_sections(notes)
        store = self.conversation.store
        session = store.create_session(
            user_id,
            mode=self.name,
            lang=lang,
            system_prompt=self.system_prompt(lang, audience, difficulty, questions, sections),
            title=sections[0].splitlines()[0].lstrip("# ")[:60],
            options={
                "notes": notes,
                "sections": len(sections),
                "audience": audience,
                "difficulty": difficulty,
                "questions": questions,
                "asked": 0,
                "followed_up": False,
                "done": False,
                "next": {"kind": "first"},
                "answers": [],
            },
        )
        store.add_turn(session.id, "user", self.prompts.render(PROMPTS, "kickoff", lang))
        return session  # its first request: first_request (read ahead by warm_audience)

    def persona(self, audience: str, lang: str) -> Persona:
        """The audience member from the matching ``qa-*`` scenario file (a plain fallback
        when the scenario book is missing or the file cannot be read)."""
        if self.scenarios is not None:
            try:
                return self.scenarios.get(AUDIENCE_SCENARIOS[audience], lang).counterpart
            except (ScenarioError, KeyError):
                pass
        name = i18n.t(lang, f"qa_audience_name_{audience}")
        return Persona(name=name.capitalize(), role=name, personality=name)

    def system_prompt(
        self, lang: str, audience: str, difficulty: str, questions: int, sections: list[str]
    ) -> str:
        """The fixed instructions for one question round."""
        round_part = self.prompts.render(
            PROMPTS,
            "system",
            lang,
            difficulty_name=i18n.t(lang, f"difficulty_name_{difficulty}"),
            difficulty_rules=self.prompts.render(PROMPTS, f"difficulty-{difficulty}", lang),
            questions=questions,
            notes=numbered_notes(sections),
        )
        return join_parts(self.audience_head(audience, lang), round_part)

    def prompt_head(self, lang: str) -> str:
        """The start of every question round's system prompt in ``lang``: the role and the
        rules of the round, the same for every audience and set of notes (warmed when the
        page opens)."""
        return self.prompts.render(PROMPTS, "head", lang)

    def audience_head(self, audience: str, lang: str) -> str:
        """The prompt head followed by the audience member: the start of the system prompt
        once the audience is picked (warmed then, see ``warm_audience``)."""
        persona = self.persona(audience, lang)
        part = self.prompts.render(
            PROMPTS,
            "audience",
            lang,
            person=persona.name,
            persona_role=persona.role,
            personality=persona.personality,
            cares_about=", ".join(persona.cares_about) or "-",
            question_style=persona.question_style or "-",
            speaking_style=persona.speaking_style or "-",
        )
        return join_parts(self.prompt_head(lang), part)

    def warm_audience(
        self, user_id: int, audience: str, lang: str, options: dict[str, Any] | None = None
    ) -> bool:
        """The person picked an audience: read the round's first request into the model's
        cache ahead of the start (the first question is requested the moment the round
        starts, so this is the only warm-up a round gets): the whole of it (the system prompt,
        then the kickoff line with the first question's note) when ``options`` (the tab's
        notes, question count and difficulty) would start a round, else the system prompt's
        start up to the audience member. True when a warm-up started."""
        warm_up = self.conversation.warm_up
        if warm_up is None or audience not in AUDIENCES:
            return False
        lang = i18n.lang_code(lang)
        try:
            notes, _, difficulty, questions = round_options(
                {**(options or {}), "audience": audience}
            )
        except CoachError:  # no notes yet (or too long): what the round will start with
            prefix: list[BaseMessage] = [SystemMessage(self.audience_head(audience, lang))]
        else:
            sections = split_sections(notes)
            prompt = self.system_prompt(lang, audience, difficulty, questions, sections)
            prefix = self.first_request(lang, prompt, questions, len(sections))
        return warm_up.begin(prefix, owner=user_id)

    def first_request(
        self, lang: str, system_prompt: str, questions: int, sections: int
    ) -> list[BaseMessage]:
        """The request for a round's first question, as ``start`` and ``opening`` send it."""
        kickoff = self.prompts.render(PROMPTS, "kickoff", lang)
        note = self._first_note(lang, questions, sections)
        return [SystemMessage(system_prompt), HumanMessage(with_note(kickoff, note))]

    def _first_note(self, lang: str, questions: int, sections: int) -> str:
        return self.prompts.render(
            PROMPTS, "turn-first", lang, questions=questions, section=min(2, sections)
        )

    # --- turns --------------------------------------------------------------------------------

    def opening(self, session: Session) -> Iterator[str]:
        """Stream the first question (the same as ``retry`` right after ``start``)."""
        yield from self.retry(session)

    def respond(
        self, session: Session, text: str, turns: list[Turn] | None = None
    ) -> Iterator[str]:
        """Measure and store the user's answer, then stream the next move (follow-up, next
        question, or the closing line)."""
        session, turns = current(self.conversation.store, session, turns)
        options = session.options
        if options.get("done"):
            raise round_over_error()
        question = next((t.text for t in reversed(turns) if t.role == "assistant"), "")
        self.conversation.accept_user_text(session, text, turns)
        message = (split_sections(str(options.get("notes") or "")) or [""])[0]
        label_answer(self.conversation.store, session, turns, question, message)
        metrics = answer_metrics(text, question, session.lang)
        words = metrics.words
        interrupt = options.get("difficulty") == "resistant" and words > INTERRUPT_WORDS
        asked = int(options.get("asked", 0))
        if not metrics.direct_first_sentence and not options.get("followed_up"):
            action: dict[str, Any] = {"kind": "follow-up"}
        elif asked >= int(options.get("questions", DEFAULT_QUESTIONS)):
            action = {"kind": "close"}
        else:
            action = {"kind": "next", "number": asked + 1}
        action.update(interrupt=interrupt, words=words)
        answers = [*options.get("answers", []), {**metrics.to_dict(), "question": asked}]
        changed = self.conversation.store.update_options(session.id, next=action, answers=answers)
        yield from self._reply(replace(session, options=changed), turns)

    def retry(self, session: Session, turns: list[Turn] | None = None) -> Iterator[str]:
        """Take the pending move again (after ``start``, or after an interrupted reply)."""
        store = self.conversation.store
        session, turns = current(store, session, turns)
        last = turns[-1] if turns else None
        if last is not None and last.role == "assistant" and last.status != "complete":
            store.set_head(session.id, last.parent_id)
            store.finish_turn(last.id, last.text, status="superseded", error=last.error)
            turns.pop()
        if turns and turns[-1].role == "user" and session.options.get("next"):
            yield from self._reply(session, turns)

    def note(self, session: Session) -> str:
        """The one-turn instruction for the pending move (never stored)."""
        options, lang = session.options, session.lang
        action = options.get("next") or {}
        kind = action.get("kind", "next")
        questions = int(options.get("questions", DEFAULT_QUESTIONS))
        if kind == "first":
            return self._first_note(lang, questions, int(options.get("sections", 1)))
        parts = []
        if action.get("interrupt"):
            parts.append(
                self.prompts.render(PROMPTS, "turn-interrupt", lang, words=action.get("words"))
            )
        if kind == "follow-up":
            parts.append(self.prompts.render(PROMPTS, "turn-follow-up", lang))
        elif kind == "close":
            parts.append(self.prompts.render(PROMPTS, "turn-close", lang))
        else:
            number = action.get("number", 1)
            parts.append(
                self.prompts.render(PROMPTS, "turn-next", lang, number=number, questions=questions)
            )
        return "\n".join(parts)

    def _reply(self, session: Session, turns: list[Turn] | None = None) -> Iterator[str]:
        action = session.options.get("next") or {}
        store, lang, note = self.conversation.store, session.lang, self.note(session)
        turns = store.turns(session.id) if turns is None else turns
        context = reply_checks.context_from_turns(
            turns, lang, "audience", sentence_budget=4, instructions=[note]
        )

        def reminder(problems: list[str]) -> str:
            described = reply_checks.describe(problems, lang)
            return self.prompts.render(PROMPTS, "reminder", lang, problems=described)

        yield from self.conversation.stream_reply(
            session,
            note=note,
            kept=self._kept_notes(session, turns, note),
            check=lambda reply: reply_checks.check_reply(reply, context),
            reminder=reminder,
            turns=turns,
            max_tokens=self.conversation.cap("audience"),
        )
        kind = action.get("kind")
        changes: dict[str, Any] = {"next": None}
        if kind in ("first", "next"):
            changes.update(asked=int(session.options.get("asked", 0)) + 1, followed_up=False)
        elif kind == "follow-up":
            changes["followed_up"] = True
        elif kind == "close":
            changes["done"] = True
        options = self.conversation.store.update_options(session.id, **changes)
        if kind != "close" and turns and turns[-1].status == "complete":
            self._read_ahead(replace(session, options=options), turns)

    def _read_ahead(self, session: Session, turns: list[Turn]) -> None:
        """After a question: have the history and the move note of a direct answer (the
        next question, or the close) read while the person answers, so that reply reads
        only their words. An answer that needs a follow-up (or an interruption) gets its
        own note instead, which the model then reads with the answer."""
        options = session.options
        asked = int(options.get("asked", 0))
        last = asked >= int(options.get("questions", DEFAULT_QUESTIONS))
        move = {"kind": "close"} if last else {"kind": "next", "number": asked + 1}
        note = self.note(replace(session, options={**options, "next": move}))
        self.conversation.warm(session, turns, note, kept=answer_notes(session))

    def _kept_notes(self, session: Session, turns: list[Turn] | None, note: str) -> dict[int, str]:
        """The move notes earlier answers were sent with (turn id -> note), after recording
        the newest one's: each stays on its message, so every request begins with the one
        before it and its reply, as the model's cache holds them."""
        if turns is None:
            turns = self.conversation.store.turns(session.id)
        newest = next((t for t in reversed(turns) if t.role == "user"), None)
        notes = answer_notes(session)
        if newest is not None and notes.get(newest.id) != note:
            notes[newest.id] = note
            stored = {str(turn_id): kept for turn_id, kept in notes.items()}
            self.conversation.store.update_options(session.id, turn_notes=stored)
        return {
            turn_id: kept
            for turn_id, kept in notes.items()
            if newest is None or turn_id != newest.id
        }

    # --- state for the page -------------------------------------------------------------------

    def progress(self, session: Session) -> dict[str, Any]:
        """Questions asked, the total, whether the round is over, and the answers' metrics."""
        options = reread(self.conversation.store, session).options
        return {
            "asked": int(options.get("asked", 0)),
            "questions": int(options.get("questions", DEFAULT_QUESTIONS)),
            "done": bool(options.get("done")),
            "answers": list(options.get("answers", [])),
        }

    # --- debrief ------------------------------------------------------------------------------

    def criteria(self, audience: str, lang: str) -> tuple[list[str], list[str]]:
        """What a good round shows and the knowledge entries behind it: the audience
        scenario's success criteria and related ids, or general criteria when the scenario
        file cannot be read."""
        if self.scenarios is not None:
            try:
                scenario = self.scenarios.get(AUDIENCE_SCENARIOS[audience], lang)
                if scenario.success_criteria:
                    ids = [*scenario.related, *scenario.strategies]
                    return list(scenario.success_criteria), ids
            except (ScenarioError, KeyError):
                pass
        return list(i18n.strings_with_prefix(lang, "qa_criterion_").values()), list(QA_KNOWLEDGE)

    def debrief(self, session: Session) -> DebriefResult:
        """Write the debrief of the round (at its end or earlier) and store it with its rating.

        Raises ``CoachError`` when the user has not answered any question yet."""
        return final_result(self.debrief_stream(session))

    def debrief_stream(
        self, session: Session, cancelled: threading.Event | None = None
    ) -> Generator[DebriefDraft, None, DebriefResult | None]:
        """The round's debrief section by section as it is written, continuing from the
        round's own prompt (persona and notes); the measured answers are facts it shows
        without the model. Raises ``CoachError`` (when iterated) before any answer."""
        session = reread(self.conversation.store, session)
        store, lang = self.conversation.store, session.lang
        turns = store.turns(session.id)
        answers = [t.text for t in turns[1:] if t.role == "user" and t.text]
        if not answers:
            return _refuse(
                CoachError(
                    "qa_no_answers",
                    "Answer at least one question before asking for a debrief.",
                    "Besvar mindst ét spørgsmål, før du beder om en opsamling.",
                )
            )
        audience = str(session.options.get("audience") or "sceptical-executive")
        criteria, ids = self.criteria(audience, lang)
        return stream_debrief(
            self.conversation,
            self.prompts,
            session,
            turns,
            person=self.persona(audience, lang).name,
            user_lines=answers,
            criteria=criteria,
            passages=self.grounding(" ".join(criteria), lang, ids) if self.grounding else [],
            observed=[answer_summary(session.options, lang).strip("-")],
            kept=answer_notes(session),
            cancelled=cancelled,
        )


def answer_notes(session: Session) -> dict[int, str]:
    """The move notes the round's answers were sent with (turn id -> note), as stored with
    the session: what its replies and its debrief send each answer with."""
    return {
        int(turn_id): note for turn_id, note in (session.options.get("turn_notes") or {}).items()
    }


def _refuse(error: CoachError) -> Generator[DebriefDraft, None, DebriefResult | None]:
    raise error
    yield  # a generator: the error reaches whoever iterates it, as the model's errors do


def round_options(options: dict[str, Any]) -> tuple[str, str, str, int]:
    """(notes, audience, difficulty, questions) of a round as ``start`` reads its options;
    raises ``CoachError`` when the notes are missing or too long."""
    notes = str(options.get("notes") or "").strip()
    if not notes:
        raise no_notes_error()
    if len(notes) > MAX_NOTES_CHARS:
        raise notes_too_long(len(notes))
    audience = str(options.get("audience") or "sceptical-executive")
    if audience not in AUDIENCES:
        audience = "sceptical-executive"
    difficulty = str(options.get("difficulty") or "realistic")
    if difficulty not in DIFFICULTIES:
        difficulty = "realistic"
    try:
        questions = int(options.get("questions") or DEFAULT_QUESTIONS)
    except (TypeError, ValueError):
        questions = DEFAULT_QUESTIONS
    return notes, audience, difficulty, max(MIN_QUESTIONS, min(MAX_QUESTIONS, questions))


def answer_summary(options: dict[str, Any], lang: str) -> str:
    """The round's measured answers in one sentence: how many, average length and speaking
    time, and how many answered directly in the first sentence."""
    answers = list(options.get("answers", []))
    if not answers:
        return "-"
    words = round(sum(int(a.get("words", 0)) for a in answers) / len(answers))
    seconds = round(sum(float(a.get("seconds", 0)) for a in answers) / len(answers))
    direct = sum(1 for a in answers if a.get("direct_first_sentence"))
    return i18n.t(
        lang, "qa_answer_summary", answers=len(answers), words=words, seconds=seconds, direct=direct
    )


# The entries a debrief draws on when the audience's scenario file is unavailable.
QA_KNOWLEDGE = ("presentation-qa-techniques", "active-listening")


def qa_mode(conversation: Conversation, prompts: PromptLibrary, library: Any) -> PresentationQA:
    """The Q&A mode wired to the knowledge library (audience personas from the scenarios)."""
    book = ScenarioBook(library, conversation.store)

    def grounding(query: str, lang: str, ids: list[str]) -> list[Passage]:
        return library_passages(library, query, lang, ids)

    return PresentationQA(
        conversation=conversation, prompts=prompts, scenarios=book, grounding=grounding
    )
