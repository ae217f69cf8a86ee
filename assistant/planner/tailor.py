"""Tailoring with a model: one structured-output request that rephrases the plan's questions,
streamed question by question and checked against the plan, with the offline plan's text
kept for every question the model did not rephrase usably.

The model is sent only what it must rephrase (each question's text, numbered) and answers in
the smallest JSON that works: ``{"1": "...", "2": "..."}``. Stages, strategies, ids and
timing never go through the model, so it cannot change them; each finished member of the
answer is shown as soon as it arrives (``MemberReader``, assistant/structured_stream.py).
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from assistant.errors import CoachError
from assistant.planner.plan import (
    MAX_QUESTION_CHARS,
    PlanQuestion,
    PlanStageId,
    SessionPlan,
    relationship_label,
)
from assistant.prompts import PromptLibrary
from assistant.structured_stream import (
    Arrived,
    Member,
    MemberReader,
    RequestCancelled,
    stream_members,
)
from assistant.token_caps import DEFAULT_CAPS, TokenCaps, capped

if TYPE_CHECKING:  # langchain's model layer is imported with the chat model (assistant.llm)
    from langchain_core.language_models import BaseChatModel

    from assistant.warm_up import WarmUp

# A tailored question is one sentence of about 25 words; longer is not a plan question.
MAX_TAILORED_CHARS = 240


class TailoredQuestion(BaseModel):
    """One rephrased question with its plan tags (the data shape of a tailored question)."""

    id: str
    stage: PlanStageId
    strategy: str
    text: str = Field(min_length=3, max_length=MAX_QUESTION_CHARS)


class TailoredPlan(BaseModel):
    """Every question of a plan, rephrased (the data shape of a tailored plan)."""

    questions: list[TailoredQuestion]


@dataclass(frozen=True)
class TailoringStep:
    """How far a streamed tailoring has come: the plan with the questions rephrased so far."""

    chars: int
    plan: SessionPlan
    tailored: int
    total: int


def _reference(text: str) -> str:
    # Text from the user goes inside tags; it must not be able to close them.
    return text.replace("<", "‹").replace(">", "›")


def numbered(questions: Sequence[PlanQuestion]) -> dict[str, PlanQuestion]:
    """The answer's keys: each question's number, from 1."""
    return {str(n): q for n, q in enumerate(questions, start=1)}


def tailoring_schema(count: int) -> dict[str, Any]:
    """Ollama's ``format`` for ``count`` questions: one short string per number, in order."""
    keys = [str(n) for n in range(1, count + 1)]
    text = {"type": "string", "minLength": 3, "maxLength": MAX_TAILORED_CHARS}
    return {
        "type": "object",
        "properties": {key: text for key in keys},
        "required": keys,
        "additionalProperties": False,
    }


def tailoring_head(lang: str, prompts: PromptLibrary) -> list[BaseMessage]:
    """The fixed start of every tailoring request in ``lang`` (its instructions), which a
    warm-up reads when the Plan tab opens."""
    return [SystemMessage(prompts.render("plan", "tailor", lang))]


def plan_messages(
    plan: SessionPlan, prompts: PromptLibrary, questions: Sequence[PlanQuestion] | None = None
) -> list[BaseMessage]:
    """The request that asks a model to rephrase ``questions`` (default: all the plan's)
    for its topic: the fixed instructions, then the relationship, the topic and the
    numbered question texts."""
    wanted = plan.questions if questions is None else list(questions)
    listed = "\n".join(f"{key}. {q.text}" for key, q in numbered(wanted).items())
    request = prompts.render(
        "plan",
        "request",
        plan.lang,
        topic=_reference(plan.topic),
        relationship=relationship_label(plan.relationship, plan.lang),
        questions=_reference(listed),
        count=len(wanted),
    )
    return [*tailoring_head(plan.lang, prompts), HumanMessage(request)]


def tailoring_cap(count: int, caps: TokenCaps = DEFAULT_CAPS) -> int:
    """The answer's num_predict: ``caps.tailor_item`` tokens for each question and the
    braces, never above ``caps.tailor``."""
    return min(caps.tailor, count * caps.tailor_item + 8)


def checked_text(
    member: Member, wanted: Mapping[str, PlanQuestion], done: Mapping[str, str]
) -> tuple[PlanQuestion, str] | None:
    """The question and its new text for one member of the answer, or None when it cannot be
    used (not JSON, not text, an unknown or repeated number, empty or too long)."""
    question = wanted.get(member.name)
    if member.error or question is None or question.id in done:
        return None
    if not isinstance(member.value, str):
        return None
    text = " ".join(member.value.split())
    if not 3 <= len(text) <= MAX_TAILORED_CHARS:
        return None
    return question, text


def invalid_output_error() -> CoachError:
    """The notice when no question of the model's answers could be used."""
    return CoachError(
        "plan_model_output_invalid",
        "The model's answer held no usable question twice in a row, so these questions come "
        "straight from the question bank.",
        "Modellens svar indeholdt ikke ét brugbart spørgsmål to gange i træk, så spørgsmålene "
        "her kommer direkte fra spørgsmålsbanken.",
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
    max_tokens: int | None = None,
) -> SessionPlan:
    """The plan with its questions rephrased for its topic by the model, tags kept.

    A question the model did not rephrase usably keeps its question-bank text; when no
    question could be used, the answer is asked for once more. When the model fails, the
    offline plan comes back unchanged with ``source="question-bank"`` and ``notice`` saying
    why. Never raises for model failures.
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
    max_tokens: int | None = None,
    cancelled: threading.Event | None = None,
    warm_up: WarmUp | None = None,
) -> Generator[TailoringStep, None, SessionPlan]:
    """``tailor_plan`` streamed: yields a ``TailoringStep`` per chunk of the answer (its
    ``plan`` has every question rephrased so far, ``source="model"`` and ``tailoring``
    set) and returns the finished plan. Closing the generator, or setting ``cancelled``,
    ends the model's request at its next chunk (assistant/structured_stream.py); a cancel
    raises ``RequestCancelled``. ``max_tokens`` caps the answer (default: ``tailoring_cap``);
    ``warm_up``, when given, is told of the request (it abandons other warm-ups).
    """
    host = host or str(getattr(chat_model, "base_url", "") or "Ollama")
    model = model or str(getattr(chat_model, "model", "") or "the model")
    questions = plan.questions
    chat_model = capped(chat_model, max_tokens or tailoring_cap(len(questions)))
    wanted = numbered(questions)
    schema = tailoring_schema(len(questions))
    texts: dict[str, str] = {}
    try:
        messages = plan_messages(plan, prompts)
        for attempt in range(attempts):
            if warm_up is not None:
                warm_up.real_request(messages)
            answer = stream_members(
                chat_model, messages, schema, host=host, model_name=model, cancelled=cancelled
            )
            raw = yield from _rephrased(answer, plan, model, wanted, texts)
            if texts or attempt + 1 >= attempts:
                break
            reminder = prompts.render("plan", "reminder", plan.lang, count=len(questions))
            messages = [*messages, AIMessage(raw), HumanMessage(reminder)]
        if not texts:
            return replace(plan, source="question-bank", model=None, notice=invalid_output_error())
        return _with_texts(plan, texts, model)
    except RequestCancelled:
        raise
    except CoachError as error:
        if texts:  # the stream broke off: what arrived is kept, the rest stays offline
            return _with_texts(plan, texts, model)
        return replace(plan, source="question-bank", model=None, notice=_fallback_notice(error))


def _rephrased(
    answer: Generator[Arrived, None, tuple[str, MemberReader]],
    plan: SessionPlan,
    model: str,
    wanted: Mapping[str, PlanQuestion],
    texts: dict[str, str],
) -> Generator[TailoringStep, None, str]:
    """Read one streamed answer into ``texts`` (question id -> new text), member by member,
    yielding the plan so far after each chunk; returns the answer's whole text."""
    try:
        while True:
            try:
                arrived = next(answer)
            except StopIteration as done:
                return done.value[0]
            for member in arrived.members:
                found = checked_text(member, wanted, texts)
                if found is not None:
                    texts[found[0].id] = found[1]
            so_far = _with_texts(plan, texts, model, tailoring=True)
            yield TailoringStep(arrived.chars, so_far, len(texts), len(wanted))
    finally:
        answer.close()


def _with_texts(
    plan: SessionPlan, texts: Mapping[str, str], model: str, *, tailoring: bool = False
) -> SessionPlan:
    stages = tuple(
        replace(
            stage,
            questions=tuple(replace(q, text=texts.get(q.id, q.text)) for q in stage.questions),
        )
        for stage in plan.stages
    )
    return replace(
        plan,
        stages=stages,
        source="model",
        model=model,
        notice=None,
        tailored=len(texts),
        tailoring=tailoring,
    )
