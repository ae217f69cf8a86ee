"""A user's action on something that is not theirs says that nothing happened (#15 item 6).

With sign-in on, alice has a goal, an uploaded document and a session; bob fires the page's
check-in, delete and "save as a goal" handlers with her goal id, her document's name and her
session id (what he can send from his own browser). Each must say that nothing changed, and
nothing of alice's may change; the same handlers, fired as alice, still do their work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr
from gradio.context import LocalContext

from assistant.config import Settings
from assistant.services import build_services
from assistant.ui import build_app
from assistant.users import Accounts
from tests.integration.test_every_button import steps_of


def handler(demo: gr.Blocks, qualname: str) -> Callable[..., Any]:
    """The first event function of the page with this qualified name."""
    return next(
        fn.fn
        for fn in demo.fns.values()
        if fn.fn is not None and fn.fn.__qualname__.replace(".<locals>", "") == qualname
    )


def fire(user: str, fn: Callable[..., Any], *args: Any) -> str:
    """Run one handler as ``user``; everything it returned, as text."""
    token = LocalContext.request.set(gr.Request(username=user))
    try:
        steps = steps_of(fn(*args))
    finally:
        LocalContext.request.reset(token)
    # A component returned as an update shows its value (an HTML notice's text).
    outputs = [out for step in steps for out in (step if isinstance(step, tuple) else [step])]
    return repr([getattr(out, "value", out) for out in outputs])


def test_bobs_actions_on_alices_things_say_that_nothing_changed(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / "data"))
    accounts = Accounts(services.store)
    alice = accounts.add("alice", "correct horse battery")
    bob = accounts.add("bob", "another long password")
    store, library = services.store, services.library
    goal = store.add_goal(alice, "Ask one open question first", measure="twice a day")
    library.add_upload(str(alice), "alice-notes.md", b"# Notes\nAlice's private notes.")
    session = services.modes["reflect"].start(alice, "en", {"variant": "open"})
    demo = build_app(services)

    check_in = handler(demo, "build_goals_tab.check_in")
    said = fire("bob", check_in, goal.id, 50, "done well", "done", "en")
    assert "not one of yours" in said and "Check-in saved" not in said
    assert store.goal(alice, goal.id).check_ins == []

    delete_upload = handler(demo, "build_knowledge_tab.delete")
    said = fire("bob", delete_upload, "alice-notes.md", "en")
    assert "nothing was deleted" in said and "Deleted alice-notes.md" not in said
    assert [u.name for u in library.list_uploads(str(alice))] == ["alice-notes.md"]

    delete_session = handler(demo, "build_history_tab.delete")
    said = fire("bob", delete_session, session.id, "", "", "en")
    assert f"Session {session.id} is not one of yours" in said
    assert store.session(alice, session.id) is not None

    save_goal = handler(demo, "build_debrief_goal.save_goal")
    said = fire("bob", save_goal, "Listen longer", "", "", session.id, "en")
    assert "the goal was not saved" in said
    assert store.goals(bob) == [] and len(store.goals(alice)) == 1

    record = handler(demo, "build_check_in_panel.record")
    said = fire("bob", record, "It went fine", "en")  # bob has no goal to check in on
    assert "nothing was saved" in said and "Check-in saved" not in said

    # The same handlers do their work for alice.
    assert "Check-in saved" in fire("alice", record, "It went fine", "en")
    assert len(store.goal(alice, goal.id).check_ins) == 1
    assert "Check-in saved" in fire("alice", check_in, goal.id, 50, "", "open", "en")
    assert "Deleted alice-notes.md" in fire("alice", delete_upload, "alice-notes.md", "en")
    assert library.list_uploads(str(alice)) == []
    assert "deleted" in fire("alice", delete_session, session.id, "", "", "en")
    assert store.session(alice, session.id) is None
