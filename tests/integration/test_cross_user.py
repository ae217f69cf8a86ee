"""No handler of the page gives one user another user's words, on any path (#15 item 2).

With sign-in on, alice has a session of every mode with a line only she wrote; then every
event of the page is fired as bob, with alice's session ids in every session state (what bob
gets by sending alice's browser-session id), Ollama down so the error paths run too. Nothing
that comes back may contain alice's line or her coach's replies.
"""

from __future__ import annotations

import gradio as gr
from gradio.context import LocalContext

from assistant.config import Settings
from assistant.services import build_services
from assistant.ui import build_app
from assistant.users import Accounts
from tests.integration.test_every_button import empty_value, injected, steps_of

SECRET = "Alice's private worry about the Copenhagen budget"


def test_no_event_returns_another_users_words(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / "data"))
    accounts = Accounts(services.store)
    alice = accounts.add("alice", "correct horse battery")
    accounts.add("bob", "another long password")
    store = services.store
    sessions = []
    for mode, options in (
        ("reflect", {"variant": "open"}),
        ("rehearse", {"scenario": "missed-deadlines"}),
        ("practice", {"scenario": "cant-delegate"}),
        ("qa", {"notes": "# Budget\nWe need 2 more people."}),
    ):
        session = services.modes[mode].start(alice, "en", options)
        store.add_turn(session.id, "user", SECRET)
        store.add_turn(session.id, "assistant", f"{SECRET}: tell me more.")
        sessions.append(session.id)
    demo = build_app(services)  # sign-in is on: the user comes from each request

    token = LocalContext.request.set(gr.Request(username="bob"))
    try:
        leaks, fired = [], 0
        for fn in demo.fns.values():
            if fn.fn is None or injected(fn.fn, len(fn.inputs)):
                continue
            for session_id in sessions:
                args = [
                    session_id if isinstance(block, gr.State) else empty_value(block)
                    for block in fn.inputs
                ]
                try:
                    steps = steps_of(fn.fn(*args))
                except Exception as exc:  # a refusal is fine; a leak is not
                    steps = [str(exc)]
                fired += 1
                if any(SECRET in repr(step) for step in steps):
                    leaks.append(getattr(fn.fn, "__name__", repr(fn.fn)))
    finally:
        LocalContext.request.reset(token)
    assert fired > 200
    assert not leaks, sorted(set(leaks))
    # The check itself sees the words when alice asks (so a leak would be caught).
    token = LocalContext.request.set(gr.Request(username="alice"))
    try:
        show = next(fn.fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "resume")
        assert SECRET in repr(show(sessions[1], "en"))
    finally:
        LocalContext.request.reset(token)
