"""Reflect: the model is a peer coach who follows the session flow (check-in, goal,
exploration, action plan, close), asks one open question at a time and gives no unasked
advice."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from assistant import i18n, reply_checks, skills
from assistant.errors import CoachError
from assistant.feedback import defuse_tags
from assistant.goals import MAX_CHECK_IN_GOALS, check_in_opening, check_in_recorder
from assistant.knowledge.loader import Entry, load_entry
from assistant.llm import to_coach_error
from assistant.modes.base import Conversation, current, reread
from assistant.modes.session_flow import (
    NEXT_MARKER,
    STAGES,
    next_stage,
    stage_asked_for,
    strip_marker,
)
from assistant.prompts import PromptLibrary, join_parts
from assistant.token_caps import capped

if TYPE_CHECKING:
    from assistant.modes import ModeParts
from assistant.store import Goal, Session, Turn

# Returns coaching notes (reference text) for a language; rendered once into the system prompt.
StrategyNotes = Callable[[str], str]

VARIANTS = ("open", "after-event", "prepare")
REGENERATE_ON = ("unasked_advice", "stacked_questions")
# Within one stage, the stage note is sent again with every NOTE_EVERY-th message.
NOTE_EVERY = 4

# Stage names per language, from the i18n table (the Reflect tab shows them too).
STAGE_NAMES = {lang: i18n.strings_with_prefix(lang, "reflect_stage_") for lang in i18n.LANGUAGES}


class ActionPlan(BaseModel):
    """What the person will do, by when, and how they will know it worked."""

    what: str = Field(default="", max_length=600)
    by_when: str = Field(default="", max_length=120)
    how_to_know: str = Field(default="", max_length=600)

    @property
    def empty(self) -> bool:
        """True when nothing has been written yet."""
        return not (self.what.strip() or self.by_when.strip() or self.how_to_know.strip())


@dataclass
class Reflect:
    """The reflection partner."""

    conversation: Conversation
    prompts: PromptLibrary
    strategy_notes: StrategyNotes | None = None
    # Records the person's answer to the opening check-in on their goals (see goals.py).
    record_check_in: Callable[[Session, str], None] | None = None
    name: str = "reflect"

    def start(self, user_id: int, lang: str, options: dict[str, Any] | None = None) -> Session:
        """Start a reflection: fix the system prompt and store the coach's opening question.

        ``options["variant"]`` is one of ``VARIANTS`` (default "open"); ``options["check_in"]``,
        when given, is the opening check-in on the person's open goals.
        """
        variant = (options or {}).get("variant", "open")
        if variant not in VARIANTS:
            variant = "open"
        store = self.conversation.store
        session = store.create_session(
            user_id,
            mode=self.name,
            lang=lang,
            system_prompt=self.system_prompt(lang, variant),
            options={**(options or {}), "variant": variant, "stage": STAGES[0]},
        )
        check_in = str((options or {}).get("check_in") or "")
        store.add_turn(session.id, "assistant", self._opening(check_in, variant, lang))
        # The first message leads with the first stage's note: it is read with the prefix.
        self.conversation.warm(session, note=self._stage_note(STAGES[0], lang))
        return session

    def system_prompt(self, lang: str, variant: str) -> str:
        """The coach's fixed instructions for a reflection of one variant."""
        focus = self.prompts.render(self.name, f"variant-{variant}", lang)
        session_part = self.prompts.render(self.name, "session", lang, variant_focus=focus)
        return join_parts(self.prompt_head(lang), session_part)

    def prompt_head(self, lang: str) -> str:
        """The start of every reflection's system prompt in ``lang``: the coaching rules and
        the strategy notes, the same for every variant (warmed when the page opens)."""
        notes = (
            self.strategy_notes(lang)
            if self.strategy_notes
            else self.prompts.render(self.name, "default-strategies", lang)
        )
        return self.prompts.render(self.name, "system", lang, strategies=defuse_tags(notes))

    def _opening(self, check_in: str, variant: str, lang: str) -> str:
        """The coach's first line: a check-in on open goals replaces the usual question."""
        return check_in.strip() or self.prompts.render(self.name, f"opening-{variant}", lang)

    def _check_in(self, user_id: int, lang: str) -> tuple[str | None, list[int]]:
        """The opening check-in on the person's open goals (None without any), and their ids."""
        goals = self.conversation.store.goals(user_id, status="open")[:MAX_CHECK_IN_GOALS]
        return check_in_opening(goals, lang, date.today()), [goal.id for goal in goals]

    def stage(self, session: Session) -> str:
        """The session's current stage, read fresh from the store."""
        return stage_of(reread(self.conversation.store, session))

    def set_stage(self, session: Session, stage: str) -> str:
        """Move the session to a stage (the person may jump back or ahead)."""
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        self.conversation.store.update_options(session.id, stage=stage)
        return stage

    def respond(
        self, session: Session, text: str, turns: list[Turn] | None = None
    ) -> Iterator[str]:
        """Store the user's words, then stream the coach's reply."""
        store = self.conversation.store
        session, turns = current(store, session, turns)
        first_answer = not any(t.role == "user" for t in turns)
        stored = self.conversation.accept_user_text(session, text, turns)
        if not session.title:
            store.set_title(session.id, _title_from(stored))
        if first_answer and self.record_check_in and session.options.get("check_in_goals"):
            self.record_check_in(session, stored)
        stage = stage_of(session)
        asked_for = stage_asked_for(stored, stage)
        if asked_for:
            stage = self.set_stage(session, asked_for)
        yield from self._reply(session, stored, stage, turns)

    def retry(self, session: Session, turns: list[Turn] | None = None) -> Iterator[str]:
        """Answer the last user message again (after a failure or a stop)."""
        store = self.conversation.store
        session, turns = current(store, session, turns)
        if store.supersede_trailing_replies(session.id):
            turns[:] = store.turns(session.id)  # the caller's list stays the one kept current
        last_user = next((t for t in reversed(turns) if t.role == "user"), None)
        yield from self._reply(
            session, last_user.text if last_user else "", stage_of(session), turns
        )

    def _reply(
        self, session: Session, user_text: str, stage: str, turns: list[Turn]
    ) -> Iterator[str]:
        lang = session.lang
        wants_advice = skills.advice_requested(user_text, lang)
        stage_note = self._stage_note(stage, lang)  # read back, it is caught even when not sent
        # Three sentences and a question; the options asked for may take a few more.
        context = reply_checks.context_from_turns(
            turns,
            lang,
            "coach",
            sentence_budget=7 if wants_advice else 4,
            instructions=[stage_note],
            briefing=[session.system_prompt],
        )

        def check(reply: str) -> list[str]:
            # A closed question alone is not worth a regeneration; advice and stacking are.
            flags = skills.check_coach_reply(reply, lang, advice_requested=wants_advice).flags
            coaching = [flag for flag in flags if flag in REGENERATE_ON]
            return coaching + reply_checks.check_reply(reply, context)

        def reminder(problems: list[str]) -> str:
            described = reply_checks.describe(problems, lang, "reflect_problem_")
            return self.prompts.render(self.name, "reminder", lang, problems=described)

        note, kept, noted = self._stage_notes(session, turns, stage)
        kept_problems: list[str] = []
        raw = yield from self.conversation.stream_reply(
            session,
            note=note,
            kept=kept,
            check=check,
            reminder=reminder,
            clean=strip_marker,
            flagged=kept_problems,
            turns=turns,
            max_tokens=self.conversation.cap("coach"),
        )
        # The person may have picked another stage while the reply streamed: only a reply
        # for the stage still current moves the session on (read only when it asks to), and
        # only one that passed the checks (a stage note read back ends in the marker too).
        if NEXT_MARKER in raw and not kept_problems and stage == self.stage(session):
            stage = self.set_stage(session, next_stage(stage))
        if turns and turns[-1].status == "complete":
            self._read_ahead(session, turns, stage, noted)

    def _read_ahead(
        self, session: Session, turns: list[Turn], stage: str, stages: dict[int, str]
    ) -> None:
        """After a reply: when the person's next message will lead with a stage note (a
        new stage, or the note's turn again), have it read with the history while they
        type, so that reply reads only their words. (A message that asks for another
        stage, or one sent after the person picked another, gets that stage's note
        instead; the model then reads the note too.) ``stages``: turn id -> the stage
        whose note the message was sent with."""
        user_ids = [t.id for t in turns if t.role == "user"]
        noted = [i for i in user_ids if i in stages]
        due = (
            not noted
            or stages[noted[-1]] != stage
            or len(user_ids) - user_ids.index(noted[-1]) >= NOTE_EVERY
        )
        if due:
            note = self._stage_note(stage, session.lang)
            self.conversation.warm(session, turns, note, kept=self._notes(stages, session.lang))

    def _stage_notes(
        self, session: Session, turns: list[Turn], stage: str
    ) -> tuple[str | None, dict[int, str], dict[int, str]]:
        """The stage note for the newest message (None when it needs none), the notes
        earlier messages were sent with (turn id -> note), after recording the newest's,
        and the stage each noted message was sent with (turn id -> stage).

        A message keeps the note it was sent with, so every request begins with the one
        before it and its reply, as the model's cache holds them (a note on the newest
        message only would break that prefix every turn). The note is sent when the stage
        begins, and again every ``NOTE_EVERY`` messages of a long stage (so it stays near the
        end of the conversation, and within the window after a trim).
        """
        newest = next((t for t in reversed(turns) if t.role == "user"), None)
        if newest is None:
            return self._stage_note(stage, session.lang), {}, {}
        stages = _sent_stages(session)
        user_ids = [t.id for t in turns if t.role == "user"]
        earlier = [i for i in user_ids[:-1] if i in stages]
        since = len(user_ids) - 1 - user_ids.index(earlier[-1]) if earlier else None
        due = (
            stages.get(newest.id) == stage
            or since is None
            or stages[earlier[-1]] != stage
            or since >= NOTE_EVERY
        )
        if due != (stages.get(newest.id) == stage):
            if due:
                stages[newest.id] = stage
            else:
                stages.pop(newest.id, None)
            self.conversation.store.update_options(
                session.id, stage_notes={str(k): v for k, v in stages.items()}
            )
        kept = self._notes({i: name for i, name in stages.items() if i != newest.id}, session.lang)
        return (self._stage_note(stage, session.lang) if due else None), kept, stages

    def _stage_note(self, stage: str, lang: str) -> str:
        names = STAGE_NAMES[i18n.lang_code(lang)]
        return self.prompts.render(
            self.name,
            "stage",
            lang,
            position=STAGES.index(stage) + 1,
            total=len(STAGES),
            stage_name=names[stage],
            aim=self.prompts.render(self.name, f"stage-{stage}", lang),
        )

    def _notes(self, stages: dict[int, str], lang: str) -> dict[int, str]:
        """The stage notes of messages (turn id -> stage) as they were sent (turn id -> note)."""
        return {
            turn_id: self._stage_note(name, lang)
            for turn_id, name in stages.items()
            if name in STAGES
        }

    # --- the action plan ----------------------------------------------------------------

    def action_plan(self, session: Session) -> ActionPlan:
        """The plan saved with the session (empty until saved), read fresh from the store."""
        return plan_of(reread(self.conversation.store, session))

    def save_action_plan(self, session: Session, plan: ActionPlan) -> ActionPlan:
        """Store the plan with the session (goals will take it over once they exist)."""
        self.conversation.store.update_options(session.id, action_plan=plan.model_dump())
        return plan

    def draft_action_plan(self, session: Session) -> ActionPlan:
        """Ask the model to write down the plan agreed in the conversation (not stored).

        The request is the session's own (its system prompt and history with the stage
        notes they were sent with, which the model's cache holds) with the plan request
        last, so only that request is read anew (#16: a new prompt with the transcript
        re-read the whole conversation, 637 tokens for a short one, 10 s at 60 tokens/s).
        Raises ``CoachError`` when the model cannot be reached or answers twice with
        something that is not a plan.
        """
        conversation = self.conversation
        session = reread(conversation.store, session)
        stages = _sent_stages(session)
        messages = [
            *conversation.messages(
                session,
                conversation.store.turns(session.id),
                kept=self._notes(stages, session.lang),
            ),
            HumanMessage(self.prompts.render(self.name, "draft-plan", session.lang)),
        ]
        if conversation.warm_up is not None:
            conversation.warm_up.real_request(messages)  # a read-ahead would only hold it up
        chat_model = capped(conversation.chat_model, conversation.cap("plan"))
        model = chat_model.bind(format=ActionPlan.model_json_schema())
        request = messages
        for _ in range(2):
            try:
                reply = model.invoke(request)
            except Exception as exc:
                raise to_coach_error(exc, host=conversation.host, model=conversation.model) from exc
            try:
                return ActionPlan.model_validate(json.loads(str(reply.content)))
            except (ValueError, ValidationError) as exc:
                # After the answer it is about (the cache holds both): only the note is new.
                error = f"That was not valid JSON for the schema: {exc}. Answer with JSON only."
                request = [*messages, AIMessage(str(reply.content)), HumanMessage(error)]
        raise CoachError(
            "plan_unreadable",
            "The model did not write a readable plan. Write it in the fields yourself.",
            "Modellen skrev ikke en brugbar plan. Skriv den selv i felterne.",
        )

    def save_as_goal(self, session: Session, plan: ActionPlan) -> Goal:
        """Keep the plan with the session and make it a goal (followed up in later sessions)."""
        self.save_action_plan(session, plan)
        return self.conversation.store.add_goal(
            session.user_id,
            plan.what,
            measure=plan.how_to_know,
            due=plan.by_when,
            session_id=session.id,
        )

    def has_words(self, session: Session) -> bool:
        """True once the person has written anything in the session."""
        return any(t.role == "user" for t in self.conversation.store.turns(session.id))

    def open(self, user_id: int, lang: str, options: dict[str, Any] | None = None) -> Session:
        """Start a reflection as the page does: it opens with a check-in on the person's open
        goals when there are any (``options["check_in"]`` given wins)."""
        options = dict(options or {})
        if "check_in" not in options:
            options["check_in"], options["check_in_goals"] = self._check_in(user_id, lang)
        return self.start(user_id, lang, options)

    def first_line(self, user_id: int, lang: str, variant: str = "open") -> str:
        """The coach's opening of a reflection ``open`` would start now; nothing is stored
        (the page shows it until the person writes, so an untouched visit leaves no session)."""
        check_in, _ = self._check_in(user_id, lang)
        variant = variant if variant in VARIANTS else "open"
        opening = self._opening(check_in or "", variant, lang)
        warm_up = self.conversation.warm_up
        if warm_up is not None:  # the session ``open`` would start begins with this prefix
            prefix = [
                SystemMessage(self.system_prompt(lang, variant)),
                AIMessage(opening),
                HumanMessage(self._stage_note(STAGES[0], lang)),  # the first message's note
            ]
            warm_up.begin(prefix, owner=user_id)
        return opening

    def restart(
        self,
        user_id: int,
        untouched: Session | None,
        lang: str,
        options: dict[str, Any] | None = None,
    ) -> Session:
        """A new reflection (see ``open``) that replaces ``untouched`` when the person has not
        written in it yet: a session without their words is not worth keeping in the list."""
        if untouched is not None and untouched.mode == self.name and not self.has_words(untouched):
            self.conversation.store.delete_session(user_id, untouched.id)
        return self.open(user_id, lang, options)


def stage_of(session: Session) -> str:
    """The stage of the session as it was read."""
    stage = session.options.get("stage", STAGES[0])
    return stage if stage in STAGES else STAGES[0]


def plan_of(session: Session) -> ActionPlan:
    """The action plan saved with the session as it was read (empty until saved)."""
    return ActionPlan.model_validate(session.options.get("action_plan") or {})


def _sent_stages(session: Session) -> dict[int, str]:
    """The stage each noted message was sent with (turn id -> stage), as stored."""
    return {int(k): v for k, v in (session.options.get("stage_notes") or {}).items()}


def _title_from(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# The library's strategies the coach always has at hand, in this order (rendered into the
# prompt once per session). Questions before advice, active
# listening and the session's flow are not among them: the coaching rules and the stage notes
# already say them in so many words, and on a laptop CPU every token of the prompt is read
# before the first reply (#16: quoting them too cost about 160 tokens, 2.7 s at 60 tokens/s).
REFLECT_ENTRIES = (
    "clear-goals",
    "accountability-checkpoints",
)


def library_notes(library: Any, ids: tuple[str, ...]) -> StrategyNotes:
    """Coaching notes for a system prompt: each entry's title and summary, with its id.

    Reads just the files it needs (a few ms), not the whole library, so starting a session
    stays instant.
    """

    def notes(lang: str) -> str:
        lines = []
        for entry_id in ids:
            for path in sorted(library.knowledge_dir.glob(f"*/{entry_id}.{lang}.md")):
                entry = load_entry(path)
                if isinstance(entry, Entry):
                    lines.append(f"- {entry.title} [{entry_id}]: {entry.summary.strip()}")
                    break
        return "\n".join(lines)

    return notes


def reflect_mode(parts: ModeParts) -> Reflect:
    """The Reflect mode with the library's coaching notes and the goal check-in recorder."""
    return Reflect(
        conversation=parts.conversation,
        prompts=parts.prompts,
        strategy_notes=library_notes(parts.library, REFLECT_ENTRIES),
        record_check_in=check_in_recorder(parts.conversation.store),
    )
