"""The token estimate calibrated with the prompt_eval_count the model reports (no sockets)."""

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.errors import CoachError
from assistant.modes.base import Conversation
from assistant.modes.history import (
    CALIBRATION_MARGIN,
    CALIBRATION_WINDOW,
    CHARS_PER_TOKEN,
    MAX_CHARS_PER_TOKEN,
    MIN_CHARS_PER_TOKEN,
    Budget,
    TokenCalibration,
    estimate_tokens,
)

MODEL = "gemma3:4b"


def test_an_unseen_model_uses_the_default_ratio():
    calibration = TokenCalibration()
    assert calibration.ratio(MODEL) == CHARS_PER_TOKEN
    assert calibration.estimate(MODEL, "x" * 320) == estimate_tokens("x" * 320)


def test_a_reported_count_sets_the_ratio_with_a_safety_margin():
    calibration = TokenCalibration()
    assert calibration.observe(MODEL, 8000, 2000)  # 4.0 characters per token
    assert calibration.ratio(MODEL) == pytest.approx(4.0 * CALIBRATION_MARGIN)
    assert calibration.ratio("llama3.2:3b") == CHARS_PER_TOKEN  # per model


def test_the_lowest_recent_ratio_wins_and_old_ones_age_out():
    calibration = TokenCalibration()
    calibration.observe(MODEL, 6000, 2000)  # 3.0: a denser (e.g. Danish) prompt
    calibration.observe(MODEL, 8000, 2000)  # 4.0
    assert calibration.ratio(MODEL) == pytest.approx(3.0 * CALIBRATION_MARGIN)
    for _ in range(CALIBRATION_WINDOW):
        calibration.observe(MODEL, 8000, 2000)
    assert calibration.ratio(MODEL) == pytest.approx(4.0 * CALIBRATION_MARGIN)


@pytest.mark.parametrize(
    ("chars", "tokens"),
    [
        (8000, None),  # no count (older Ollama leaves it out when the prompt was cached)
        (8000, 0),
        (8000, 100),  # 80 characters per token: only the uncached part was counted
        (400, 100),  # too short to tell the text from the chat template
    ],
)
def test_implausible_or_missing_counts_are_ignored(chars, tokens):
    calibration = TokenCalibration()
    assert not calibration.observe(MODEL, chars, tokens)
    assert calibration.ratio(MODEL) == CHARS_PER_TOKEN


def test_the_ratio_stays_within_its_bounds():
    calibration = TokenCalibration()
    calibration.observe(MODEL, 2000, 2000)  # 1 character per token
    assert calibration.ratio(MODEL) == MIN_CHARS_PER_TOKEN
    high = TokenCalibration()
    high.observe(MODEL, 5000, 1000)  # exactly the upper bound is still believed
    assert high.ratio(MODEL) <= MAX_CHARS_PER_TOKEN


def test_an_estimate_with_the_calibrated_ratio_covers_the_reported_count():
    # The count of the previous request at its own density: the next estimate must not be lower.
    calibration = TokenCalibration()
    texts = ["Hvad er det vigtigste for dig i samtalen med din kollega i morgen? " * 40] * 3
    chars = sum(len(t) for t in texts)
    reported = int(chars / 2.9) + 4 * len(texts)
    calibration.observe(MODEL, chars, reported)
    assert sum(calibration.estimate(MODEL, t) for t in texts) >= reported


def _conversation(model, store, num_ctx=2048):
    return Conversation(
        chat_model=model, store=store, budget=Budget(num_ctx=num_ctx), host="h", model=MODEL
    )


def test_conversation_learns_from_the_usage_of_each_reply(model, store):
    conversation = _conversation(model, store, num_ctx=4096)
    session = store.create_session(
        store.user_id(), mode="reflect", lang="en", system_prompt="You coach. " * 200
    )
    store.add_turn(session.id, "user", "Hello")
    list(conversation.stream_reply(session))
    sent = sum(len(m.content) for m in model.requests[-1])
    # The scripted model reports 42 prompt tokens: implausible for this many characters.
    assert sent / 42 > MAX_CHARS_PER_TOKEN
    assert conversation.calibration.ratio(MODEL) == CHARS_PER_TOKEN
    conversation.calibration.observe(MODEL, sent, sent // 2)
    messages = conversation.messages(session, store.turns(session.id))
    assert conversation.prompt_tokens(messages) >= sent // 2


def test_calibration_trims_more_history_when_the_model_counts_more_tokens(model, store):
    conversation = _conversation(model, store, num_ctx=2048)  # 1024 prompt tokens
    session = store.create_session(
        store.user_id(), mode="reflect", lang="en", system_prompt="You coach."
    )
    for index in range(24):
        store.add_turn(session.id, "user" if index % 2 == 0 else "assistant", "word " * 60)
    store.add_turn(session.id, "user", "And now?")
    before = conversation.messages(session, store.turns(session.id))
    conversation.calibration.observe(MODEL, 3000, 1500)  # 2 characters per token
    after = conversation.messages(session, store.turns(session.id))
    assert len(after) < len(before)
    assert conversation.prompt_tokens(after) <= conversation.budget.prompt_tokens
    assert isinstance(after[0], SystemMessage) and isinstance(after[-1], HumanMessage)


def test_a_request_that_cannot_fit_is_refused_before_sending(model, store):
    conversation = _conversation(model, store, num_ctx=1024)  # the 256-token floor
    session = store.create_session(
        store.user_id(), mode="reflect", lang="en", system_prompt="You coach. " * 200
    )
    store.add_turn(session.id, "user", "Hello")
    with pytest.raises(CoachError) as caught:
        list(conversation.stream_reply(session))
    assert caught.value.code == "context_too_small"
    assert "COACH_NUM_CTX" in caught.value.en and "COACH_NUM_CTX" in caught.value.da
    assert model.requests == []
    assert [t.text for t in store.turns(session.id)] == ["Hello"]
