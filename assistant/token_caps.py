"""Token caps: every model request has a budget fitting its purpose (Ollama's ``num_predict``).

A small model left without a cap can answer one line with 1,500 tokens (minutes on a CPU),
and the next request then carries all of it. A reply that reaches its cap ends where the
model was cut off, usually mid-sentence; :func:`end_at_sentence` turns it back into whole
sentences before it is shown or stored, and the turn is marked ``cut``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.config import Settings

# The ``error`` a turn carries when its reply reached the token cap (its status stays complete).
CUT = "cut_at_cap"
# Ollama's done_reason when generation stopped at num_predict.
LENGTH = "length"

# A sentence ends at . ! ? or … (optionally followed by closing quotes or brackets).
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s|$)")


@dataclass(frozen=True)
class TokenCaps:
    """The ``num_predict`` of each kind of request."""

    persona: int = 120
    coach: int = 160
    audience: int = 120
    hint: int = 200
    plan: int = 400
    # A tailored session plan (every question rephrased, JSON): a 30-minute plan's answer
    # is about 1,100 estimated tokens (bench/bench_user_latency.py), so this leaves room.
    tailor: int = 1500
    # Each tailored question (one sentence of at most 240 characters, and its key): the
    # tailoring's cap is this per question it asks for, never above ``tailor``.
    tailor_item: int = 60
    scenario: int = 900
    warm_up: int = 1

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenCaps:
        """The caps configured in settings (COACH_PERSONA_TOKENS, ...)."""
        return cls(
            persona=settings.persona_tokens,
            coach=settings.coach_tokens,
            audience=settings.audience_tokens,
            hint=settings.hint_tokens,
            plan=settings.plan_tokens,
            tailor=getattr(settings, "tailor_tokens", cls.tailor),
            scenario=settings.scenario_tokens,
        )


DEFAULT_CAPS = TokenCaps()
"""The caps of a request made without the app's settings at hand (the planner, the scenario
builder): the same defaults as the settings'."""


def capped(chat_model: Any, tokens: int | None) -> Any:
    """The same chat model with ``num_predict=tokens`` on its requests.

    A ``ChatOllama`` (also behind the app's ``DeferredChatModel``) is copied with the cap, so
    every other option (num_ctx, temperature, keep_alive) stays what the session's requests
    send and Ollama reuses the loaded model and its cache. Any other chat model (the fakes of
    the unit tests) is returned as it is.
    """
    if tokens is None:
        return chat_model
    built = chat_model.built() if hasattr(chat_model, "built") else chat_model
    fields = getattr(type(built), "model_fields", {})
    if "num_predict" not in fields:
        return chat_model
    if getattr(built, "num_predict", None) == tokens:
        return built
    return built.model_copy(update={"num_predict": tokens})


def end_at_sentence(text: str) -> str:
    """``text`` up to its last full sentence; never a word cut in half.

    Without any sentence end the text is cut after its last whole word and ends with "…".
    """
    body = text.rstrip()
    ends = list(_SENTENCE_END.finditer(body))
    if ends:
        return body[: ends[-1].end()]
    words = body.split()
    if len(words) <= 1:
        return body
    # The last word may be the one the cap cut in half: drop it.
    return body[: body.rstrip().rfind(words[-1])].rstrip(" ,;:-–—") + "…"
