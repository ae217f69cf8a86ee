"""Reflect: the model is a peer coach who follows the session flow (check-in, goal,
exploration, action plan, close), asks one open question at a time and gives no unasked
advice."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from assistant import i18n, skills
from assistant.errors import CoachError
from assistant.feedback import defuse_tags
from assistant.llm import to_coach_error
from assistant.modes.base import Conversation
from assistant.modes.session_flow import (
    NEXT_MARKER,
    STAGES,
    next_stage,
    stage_asked_for,
    strip_marker,
)
from assistant.prompts import PromptLibrary
from assistant.store import Session

# Returns coaching notes (reference text) for a language; rendered once into the system prompt.
StrategyNotes = Callable[[str], str]

VARIANTS = ("open", "after-event", "prepare")
REGENERATE_ON = ("unasked_advice", "stacked_questions")

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
        notes = (
            self.strategy_notes(lang)
            if self.strategy_notes
            else self.prompts.render(self.name, "default-strategies", lang)
        )
        system = self.prompts.render(
            self.name,
            "system",
            lang,
            strategies=defuse_tags(notes),
            variant_focus=self.prompts.render(self.name, f"variant-{variant}", lang),
        )
        store = self.conversation.store
        session = store.create_session(
            user_id,
            mode=self.name,
            lang=lang,
            system_prompt=system,
            options={**(options or {}), "variant": variant, "stage": STAGES[0]},
        )
        # An opening check-in on open goals replaces the usual first question.
        check_in = str((options or {}).get("check_in") or "").strip()
        opening = check_in or self.prompts.render(self.name, f"opening-{variant}", lang)
        store.add_turn(session.id, "assistant", opening)
        return session

    def stage(self, session: Session) -> str:
        """The session's current stage, read fresh from the store."""
        current = self._fresh(session).options.get("stage", STAGES[0])
        return current if current in STAGES else STAGES[0]

    def set_stage(self, session: Session, stage: str) -> str:
        """Move the session to a stage (the person may jump back or ahead)."""
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        self.conversation.store.update_options(session.id, stage=stage)
        return stage

    def respond(self, session: Session, text: str) -> Iterator[str]:
        """Store the user's words, then stream the coach's reply."""
        first_answer = not any(t.role == "user" for t in self.conversation.store.turns(session.id))
        stored = self.conversation.accept_user_text(session, text)
        if not session.title:
            self.conversation.store.set_title(session.id, _title_from(stored))
        if first_answer and self.record_check_in and session.options.get("check_in_goals"):
            self.record_check_in(session, stored)
        asked_for = stage_asked_for(stored, self.stage(session))
        if asked_for:
            self.set_stage(session, asked_for)
        yield from self._reply(session, stored)

    def retry(self, session: Session) -> Iterator[str]:
        """Answer the last user message again (after a failure or a stop)."""
        store = self.conversation.store
        store.supersede_trailing_replies(session.id)
        last_user = next((t for t in reversed(store.turns(session.id)) if t.role == "user"), None)
        yield from self._reply(session, last_user.text if last_user else "")

    def _reply(self, session: Session, user_text: str) -> Iterator[str]:
        lang = session.lang
        wants_advice = skills.advice_requested(user_text, lang)
        stage = self.stage(session)

        def check(reply: str) -> list[str]:
            # A closed question alone is not worth a regeneration; advice and stacking are.
            flags = skills.check_coach_reply(reply, lang, advice_requested=wants_advice).flags
            return [flag for flag in flags if flag in REGENERATE_ON]

        def reminder(problems: list[str]) -> str:
            names = i18n.strings_with_prefix(lang, "reflect_problem_")
            described = "; ".join(names.get(p, p) for p in problems)
            return self.prompts.render(self.name, "reminder", lang, problems=described)

        raw = yield from self.conversation.stream_reply(
            session,
            note=self._stage_note(stage, lang),
            check=check,
            reminder=reminder,
            clean=strip_marker,
        )
        if NEXT_MARKER in raw and stage == self.stage(session):
            self.set_stage(session, next_stage(stage))

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

    # --- the action plan ----------------------------------------------------------------

    def action_plan(self, session: Session) -> ActionPlan:
        """The plan saved with the session (empty until saved)."""
        saved = self._fresh(session).options.get("action_plan") or {}
        return ActionPlan.model_validate(saved)

    def save_action_plan(self, session: Session, plan: ActionPlan) -> ActionPlan:
        """Store the plan with the session (goals will take it over once they exist)."""
        self.conversation.store.update_options(session.id, action_plan=plan.model_dump())
        return plan

    def draft_action_plan(self, session: Session) -> ActionPlan:
        """Ask the model to write down the plan agreed in the conversation (not stored).

        Raises ``CoachError`` when the model cannot be reached or answers twice with
        something that is not a plan.
        """
        conversation = self.conversation
        lines = [
            f"{'PERSON' if t.role == 'user' else 'COACH'}: {t.text}"
            for t in conversation.store.turns(session.id)
            if t.text
        ]
        instruction = self.prompts.render(self.name, "draft-plan", session.lang)
        messages = [
            SystemMessage(instruction),
            HumanMessage("<transcript>\n" + "\n".join(lines) + "\n</transcript>"),
        ]
        model = conversation.chat_model.bind(format=ActionPlan.model_json_schema())
        error = ""
        for _ in range(2):
            try:
                reply = model.invoke(messages if not error else [*messages, HumanMessage(error)])
            except Exception as exc:
                raise to_coach_error(exc, host=conversation.host, model=conversation.model) from exc
            try:
                return ActionPlan.model_validate(json.loads(str(reply.content)))
            except (ValueError, ValidationError) as exc:
                error = f"That was not valid JSON for the schema: {exc}. Answer with JSON only."
        raise CoachError(
            "plan_unreadable",
            "The model did not write a readable plan. Write it in the fields yourself.",
            "Modellen skrev ikke en brugbar plan. Skriv den selv i felterne.",
        )

    def _fresh(self, session: Session) -> Session:
        return self.conversation.store.session(session.user_id, session.id) or session


def _title_from(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
