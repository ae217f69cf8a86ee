"""The history fits `num_ctx`, with the token estimate calibrated from the prompt_eval_count
Ollama reports; through the real ChatOllama against the Ollama double (the only test double).

The double here counts prompt tokens more densely than the app's default estimate assumes
(2.4 characters per token plus the chat template), like a tokenizer that splits Danish
compounds finely, so an uncalibrated app would send requests over its budget.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from assistant.config import Settings
from assistant.modes.history import MAX_CHARS_PER_TOKEN, TokenCalibration
from assistant.services import build_services
from tests.fixtures.ollama_double import TEMPLATE_TOKENS_PER_MESSAGE, OllamaDouble

NUM_CTX = 4096
TURNS = 14
LINE = (
    "Min kollega afleverer sine opgaver for sent, og jeg ved ikke, hvordan jeg skal tage "
    "medarbejdersamtalen uden at det bliver en anklage. "
)


# The replies vary from turn to turn: a reply repeating the user's line or an earlier reply is
# an echo, which the reply checks would regenerate.
REPLY_WORDS = [
    "kollega",
    "opgave",
    "frist",
    "møde",
    "samtale",
    "tillid",
    "ansvar",
    "team",
    "plan",
    "aftale",
    "uge",
    "projekt",
    "leder",
    "kunde",
    "rapport",
    "fejl",
    "tid",
    "hjælp",
    "mål",
    "ønske",
]


def reply_for(turn: int) -> str:
    words = random.Random(turn).sample(REPLY_WORDS, len(REPLY_WORDS))
    return f"Hvad betyder det for dig, at det sker igen? ({turn}) " + " ".join(words) + ". "


def dense_tokens(messages: Sequence[Mapping[str, Any]]) -> int:
    chars = sum(len(str(m.get("content") or "")) for m in messages)
    return int(chars / 2.4) + TEMPLATE_TOKENS_PER_MESSAGE * len(messages) + 1


class Uncalibrated(TokenCalibration):
    """What the app did before calibration: ignore every reported count."""

    def observe(self, model: str, chars: int, prompt_tokens: int | None) -> bool:
        return False


@pytest.fixture
def double():
    with OllamaDouble(prompt_tokens=dense_tokens) as server:
        yield server


@pytest.fixture
def settings(double, tmp_path, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", double.url)
    return Settings(
        data_dir=tmp_path / "data", num_ctx=NUM_CTX, first_token_timeout=5, idle_timeout=5
    )


def run_session(settings: Settings, double: OllamaDouble, calibration: TokenCalibration):
    services = build_services(settings)
    services.conversation.calibration = calibration
    reflect = services.modes["reflect"]
    session = reflect.start(services.store.user_id(), "da")
    for turn in range(TURNS):
        double.script(reply_for(turn))
        list(reflect.respond(session, f"Tur {turn}: " + LINE * 3))
    requests = [r.body["messages"] for r in double.requests_for("/api/chat")]
    return services, session.id, requests


def test_every_calibrated_request_fits_the_budget_as_the_model_counts_it(settings, double):
    services, session_id, requests = run_session(settings, double, TokenCalibration())
    budget = services.conversation.budget.prompt_tokens
    counts = [dense_tokens(messages) for messages in requests]
    # The first request is estimated with the default ratio; every later one is calibrated.
    assert all(count <= budget for count in counts[1:]), (budget, counts)
    assert any("Tur 0:" not in messages[1]["content"] for messages in requests[1:])  # trimmed
    # The ratio in use is what the double reported (lowest observation, with the margin).
    ratios = [
        sum(len(m["content"]) for m in messages) / dense_tokens(messages) for messages in requests
    ]
    assert all(ratio < MAX_CHARS_PER_TOKEN for ratio in ratios)
    expected = min(ratios[-16:]) * 0.95
    assert services.conversation.calibration.ratio("gemma3:4b") == pytest.approx(expected)
    # The stored usage of each reply is the double's prompt_eval_count for its request.
    replies = [t for t in services.store.turns(session_id) if t.role == "assistant"][1:]
    assert [t.prompt_tokens for t in replies] == counts


def test_without_calibration_the_same_session_overflows(settings, double):
    services, _, requests = run_session(settings, double, Uncalibrated())
    budget = services.conversation.budget.prompt_tokens
    assert max(dense_tokens(messages) for messages in requests) > budget
