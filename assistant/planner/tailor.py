"""Tailoring with a model: one structured-output request that rephrases the plan's questions,
checked against the plan, with the offline plan as the fallback."""

from __future__ import annotations

import json
import threading
from collections.abc import Generator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from assistant.errors import CoachError
from assistant.planner.plan import (
    MAX_QUESTION_CHARS,
    PlanStageId,
    SessionPlan,
    relationship_label,
)
from assistant.prompts import PromptLibrary
from assistant.structured_stream import RequestCancelled, stream_json
from assistant.token_caps import DEFAULT_CAPS, capped

if TYPE_CHECKING:  # langchain's model layer is imported with the chat model (assistant.llm)
    from langchain_core.language_models import BaseChatModel


class TailoredQuestion(BaseModel):
    """One rephrased question as the model returns it."""

    id: str
    stage: PlanStageId
    strategy: str
    text: str = Field(min_length=3, max_length=MAX_QUESTION_CHARS)


class TailoredPlan(BaseModel):
    """The structured answer the model must give: every question, rephrased."""

    questions: list[TailoredQuestion]


class _Unusable(Exception):
    """The model's answer cannot be used; carries the problem in both languages."""

    def __init__(self, en: str, da: str) -> None:
        super().__init__(en)
        self.en, self.da = en, da

    def message(self, lang: str) -> str:
        return self.da if lang == "da" else self.en


def _reference(text: str) -> str:
    # Text from the user goes inside tags; it must not be able to close them.
    return text.replace("<", "‹").replace(">", "›")


def plan_messages(plan: SessionPlan, prompts: PromptLibrary) -> list[BaseMessage]:
    """The request that asks a model to rephrase the plan's questions for its topic."""
    questions = "\n".join(
        json.dumps(
            {"id": q.id, "stage": q.stage, "strategy": q.strategy, "text": q.text},
            ensure_ascii=False,
        )
        for q in plan.questions
    )
    system = prompts.render("plan", "tailor", plan.lang)
    request = prompts.render(
        "plan",
        "request",
        plan.lang,
        topic=_reference(plan.topic),
        relationship=relationship_label(plan.relationship, plan.lang),
        minutes=plan.minutes,
        questions=_reference(questions),
        count=len(plan.questions),
    )
    return [SystemMessage(system), HumanMessage(request)]


def _parse_tailored(raw: str, plan: SessionPlan) -> dict[str, str]:
    """The new text per question id, or :class:`_Unusable` saying what is wrong."""
    try:
        answer = TailoredPlan.model_validate_json(raw.strip())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "answer"
        raise _Unusable(
            f"the answer is not the requested JSON ({where}: {first.get('msg')})",
            f"svaret er ikke den ønskede JSON ({where}: {first.get('msg')})",
        ) from None
    wanted = {q.id: q for q in plan.questions}
    if len(answer.questions) != len(wanted):
        raise _Unusable(
            f"expected {len(wanted)} questions, got {len(answer.questions)}",
            f"der skulle være {len(wanted)} spørgsmål, men der var {len(answer.questions)}",
        )
    texts: dict[str, str] = {}
    for item in answer.questions:
        original = wanted.get(item.id)
        if original is None or item.id in texts:
            raise _Unusable(
                f"unknown or repeated question id '{item.id}'",
                f"ukendt eller gentaget spørgsmåls-id '{item.id}'",
            )
        if (item.stage, item.strategy) != (original.stage, original.strategy):
            raise _Unusable(
                f"question '{item.id}' must keep stage '{original.stage}' and strategy "
                f"'{original.strategy}'",
                f"spørgsmål '{item.id}' skal beholde fasen '{original.stage}' og strategien "
                f"'{original.strategy}'",
            )
        text = " ".join(item.text.split())
        if len(text) < 3:
            raise _Unusable(f"question '{item.id}' is empty", f"spørgsmål '{item.id}' er tomt")
        texts[item.id] = text
    return texts


def invalid_output_error() -> CoachError:
    """The notice when the model's answers could not be used."""
    return CoachError(
        "plan_model_output_invalid",
        "The model's answer did not keep the plan's questions, stages and strategies twice in a "
        "row, so these questions come straight from the question bank.",
        "Modellens svar bevarede ikke planens spørgsmål, faser og strategier to gange i træk, så "
        "spørgsmålene her kommer direkte fra spørgsmålsbanken.",
    )


def _fallback_notice(error: CoachError) -> CoachError:
    return CoachError(
        error.code,
        f"The model could not tailor the questions: {error.en}",
        f"Modellen kunne ikke tilpasse spørgsmålene: {error.da}",
    )


def tailor_plan(
    plan: SessionPlan,
    chat_model: BaseChatModel,
    prompts: PromptLibrary,
    *,
    host: str | None = None,
    model: str | None = None,
    attempts: int = 2,
    max_tokens: int | None = DEFAULT_CAPS.tailor,
) -> SessionPlan:
    """The plan with every question rephrased for its topic by the model, tags kept.

    One structured-output request (a JSON schema in Ollama's ``format``); an unusable answer is
    asked for once more with the problem named. When the model fails, the offline plan comes
    back unchanged with ``source="question-bank"`` and ``notice`` saying why. Never raises for
    model failures. ``max_tokens`` caps the answer (num_predict; token_caps.py).
    """
    steps = tailor_plan_steps(
        plan, chat_model, prompts, host=host, model=model, attempts=attempts, max_tokens=max_tokens
    )
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def tailor_plan_steps(
    plan: SessionPlan,
    chat_model: BaseChatModel,
    prompts: PromptLibrary,
    *,
    host: str | None = None,
    model: str | None = None,
    attempts: int = 2,
    max_tokens: int | None = DEFAULT_CAPS.tailor,
    cancelled: threading.Event | None = None,
) -> Generator[int, None, SessionPlan]:
    """``tailor_plan`` streamed: yields how many characters of the model's answer have
    arrived and returns the plan. Closing the generator, or setting ``cancelled``, ends the
    model's request at its next chunk (assistant/structured_stream.py); a cancel raises
    ``RequestCancelled``. ``max_tokens`` caps the answer (num_predict; token_caps.py).
    """
    host = host or str(getattr(chat_model, "base_url", "") or "Ollama")
    model = model or str(getattr(chat_model, "model", "") or "the model")
    chat_model = capped(chat_model, max_tokens)
    schema = TailoredPlan.model_json_schema()
    try:
        messages = plan_messages(plan, prompts)
        for attempt in range(attempts):
            raw = yield from stream_json(
                chat_model,
                messages,
                schema,
                host=host,
                model_name=model,
                cancelled=cancelled,
            )
            try:
                texts = _parse_tailored(raw, plan)
            except _Unusable as problem:
                if attempt + 1 >= attempts:
                    break
                reminder = prompts.render(
                    "plan",
                    "reminder",
                    plan.lang,
                    problem=problem.message(plan.lang),
                    count=len(plan.questions),
                )
                messages = [*messages, AIMessage(raw), HumanMessage(reminder)]
                continue
            return _with_texts(plan, texts, model)
        return replace(plan, source="question-bank", model=None, notice=invalid_output_error())
    except RequestCancelled:
        raise
    except CoachError as error:
        return replace(plan, source="question-bank", model=None, notice=_fallback_notice(error))


def _with_texts(plan: SessionPlan, texts: Mapping[str, str], model: str) -> SessionPlan:
    stages = tuple(
        replace(stage, questions=tuple(replace(q, text=texts[q.id]) for q in stage.questions))
        for stage in plan.stages
    )
    return replace(plan, stages=stages, source="model", model=model, notice=None)
