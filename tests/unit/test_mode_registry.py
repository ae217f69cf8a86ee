"""The mode registry: a mode is one engine module and one tab module named by a ModeSpec, and a
turn of the page reads what it needs once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr
import pytest

from assistant.config import Settings
from assistant.modes import MODES
from assistant.services import Services, build_services
from assistant.ui import build_app
from assistant.ui.history_tab import history_rows
from assistant.ui.render import session_choices
from tests.example_mode.mode import SPEC
from tests.fixtures.fake_models import ScriptedChatModel


@pytest.fixture
def model() -> ScriptedChatModel:
    return ScriptedChatModel()


def services_with(tmp_path, model, modes=MODES) -> Services:
    return build_services(Settings(data_dir=tmp_path / "data"), chat_model=model, modes=modes)


def handler(demo: gr.Blocks, *, api_name: str | None = None, name: str | None = None) -> Callable:
    """The function an event of the page runs, found by its API name or its own name."""
    for fn in demo.fns.values():
        if api_name is not None and fn.api_name == api_name:
            return fn.fn
        if name is not None and getattr(fn.fn, "__name__", None) == name:
            return fn.fn
    raise LookupError(api_name or name)


def block(demo: gr.Blocks, elem_id: str) -> Any:
    return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == elem_id)


def test_the_registry_builds_every_mode_in_tab_order(tmp_path, model):
    services = services_with(tmp_path, model)
    assert list(services.modes) == [spec.name for spec in MODES]
    assert [spec.name for spec in services.mode_specs] == ["reflect", "rehearse", "qa", "practice"]
    # Practice is a mode of its own (composing Rehearse's engine), stored under its name.
    assert type(services.modes["practice"]).__name__ == "Practice"


def test_an_extra_mode_gets_its_tab_and_history_lists_its_sessions(tmp_path, model):
    services = services_with(tmp_path, model, modes=(*MODES, SPEC))
    demo = build_app(services)

    tabs = [b for b in demo.blocks.values() if isinstance(b, gr.Tab)]
    assert "echo" in [tab.id for tab in tabs]
    history_mode = block(demo, "history-mode")
    assert ("echo", "echo") in [tuple(choice) for choice in history_mode.choices]

    user = services.store.user_id()
    session = services.modes["echo"].start(user, "en")
    model.enqueue("I hear you.")
    assert list(services.modes["echo"].respond(session, "Hello"))[-1] == "I hear you."

    rows = history_rows(services.store, user, "echo", "en")
    assert [(row[0], row[1]) for row in rows] == [(session.id, "echo")]
    # The session list beside Reflect lists every mode's sessions, the mode named.
    labels = [label for label, _ in session_choices(services.store.sessions(user), "en")]
    assert any(label.startswith("Listening · echo · EN") for label in labels)

    # Resume from History opens it in its own tab, filled by the tab's own view.
    resume = handler(demo, name="resume")
    updates = resume(session.id, "en")
    assert isinstance(updates[0], gr.Tabs) and updates[0].selected == "echo"
    echo_chat = [u for u in updates if isinstance(u, list)]
    assert echo_chat[-1] == [
        {"role": "assistant", "content": "I am listening."},
        {"role": "user", "content": "Hello"},
        {"role": "assistant", "content": "I hear you."},
    ]


def test_a_session_of_another_mode_in_the_session_list_opens_in_its_tab(tmp_path, model):
    services = services_with(tmp_path, model)
    demo = build_app(services)
    user = services.store.user_id()
    rehearsal = services.modes["rehearse"].start(user, "en", {"scenario": "missed-deadlines"})

    updates = handler(demo, name="open_session")(rehearsal.id, "en")
    selected = [u.selected for u in updates if isinstance(u, gr.Tabs)]
    assert selected == ["rehearse"]
    assert rehearsal.id in updates  # the Rehearse tab's state now holds it


class Counting:
    """Counts calls of some of a store's methods (wrapping the real ones)."""

    def __init__(self, store: Any, names: tuple[str, ...]) -> None:
        self.calls = dict.fromkeys(names, 0)
        for name in names:
            real = getattr(store, name)

            def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
                self.calls[_name] += 1
                return _real(*args, **kwargs)

            setattr(store, name, counted)


def test_a_reflect_turn_reads_its_session_and_turns_once(tmp_path, model):
    services = services_with(tmp_path, model)
    demo = build_app(services)
    store = services.store
    reflect = services.modes["reflect"]
    session = reflect.start(store.user_id(), "en", {"variant": "open"})
    send = handler(demo, api_name="send")
    model.enqueue("What would a good outcome look like for you?")

    counting = Counting(store, ("session", "turns", "user_id"))
    updates = list(send("I have to tell Sam his reports are late.", session.id, "en"))

    assert counting.calls["session"] == 1
    assert counting.calls["turns"] == 1
    assert counting.calls["user_id"] == 1  # the user is resolved once per event
    chat = updates[-1][0]
    assert chat[-2:] == [
        {"role": "user", "content": "I have to tell Sam his reports are late."},
        {"role": "assistant", "content": "What would a good outcome look like for you?"},
    ]
    # What was shown is what was stored.
    stored = [(t.role, t.text, t.status) for t in store.turns(session.id)]
    assert stored[-1] == ("assistant", "What would a good outcome look like for you?", "complete")
