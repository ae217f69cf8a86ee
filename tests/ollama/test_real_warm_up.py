"""Opt-in tier (#16): one warmed rehearsal against a real Ollama (OLLAMA_HOST,
OLLAMA_TEST_MODEL); skipped with a reason when none is reachable.

Checks wiring with a real model, not quality: the warm-up finishes (the model loaded and read
the session's prefix), and the first reply then streams, is stored, and stays within its cap.
bench/bench_warm_up_real.py measures what the warm-up saves.
"""

from __future__ import annotations

import pytest

from assistant.services import build_services
from tests.ollama.test_real_ollama import real_settings  # noqa: F401  (the fixture)

pytestmark = pytest.mark.ollama


def test_a_warmed_rehearsal_first_reply(real_settings):  # noqa: F811
    settings = real_settings.model_copy(update={"warm_up": True})
    services = build_services(settings)
    rehearse = services.modes["rehearse"]
    user = services.store.user_id()
    session = rehearse.start(user, "en", {"scenario": "missed-deadlines"})
    progress = services.conversation.warm_up.wait(user, settings.first_token_timeout)
    assert progress is not None and progress.phase == "ready", progress

    snapshots = list(rehearse.respond(session, "Sam, can we talk about the last deadlines?"))
    assert snapshots, "the reply did not stream"
    reply = services.store.turns(session.id)[-1]
    assert reply.status == "complete" and reply.text.strip()
    assert reply.completion_tokens is not None
    assert reply.completion_tokens <= settings.persona_tokens  # the cap was sent
