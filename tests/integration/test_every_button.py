"""Every event of the page, fired in an empty session with Ollama down, answers with a value
for each of its outputs and never raises: a button pressed at any time gets a message, never
Gradio's error popup ("didn't return enough output values").

The page is built with the real services; Ollama is the closed port the test environment
points at (tests/conftest.py), so every model call meets a real connection error.
"""

from __future__ import annotations

import inspect
from typing import Any

import gradio as gr

from assistant.config import Settings
from assistant.services import build_services
from assistant.ui import build_app


def empty_value(block: Any) -> Any:
    """What an untouched component sends: its initial value."""
    value = getattr(block, "value", None)
    value = value() if callable(value) else value
    if isinstance(block, gr.Textbox) and value is None:
        return ""  # what the browser sends for an empty box
    return value


def steps_of(result: Any) -> list[Any]:
    return list(result) if inspect.isgenerator(result) else [result]


def injected(fn: Any, inputs: int) -> bool:
    """True when Gradio adds arguments of its own (a request, event data, progress)."""
    parameters = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    return len(parameters) != inputs


def test_every_event_in_an_empty_session_answers_every_output(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / "data"))
    demo = build_app(services)
    fired, problems = 0, []
    for fn in demo.fns.values():
        if fn.fn is None or injected(fn.fn, len(fn.inputs)):
            continue
        name = getattr(fn.fn, "__name__", repr(fn.fn))
        args = [empty_value(block) for block in fn.inputs]
        try:
            steps = steps_of(fn.fn(*args))
        except Exception as exc:  # the assertion below lists every one
            problems.append(f"{name}: raised {type(exc).__name__}: {exc}")
            continue
        fired += 1
        wanted = len(fn.outputs)
        for step in steps:
            if wanted > 1 and not (isinstance(step, tuple | list) and len(step) == wanted):
                got = len(step) if isinstance(step, tuple | list) else 1
                problems.append(f"{name}: {got} values for {wanted} outputs")
                break
    assert not problems, "\n".join(problems)
    # The page's chat, debrief, plan, goal and knowledge events were all among them.
    assert fired >= 60, fired


def test_ending_a_session_when_the_debrief_fails_answers_every_output(tmp_path):
    """End and debrief in a session of each debriefing mode, with Ollama down (and, in Q&A,
    nothing answered yet): a message in the tab, never a short reply to Gradio."""
    services = build_services(Settings(data_dir=tmp_path / "data"))
    demo = build_app(services)
    user = services.store.user_id()
    sessions = [
        services.modes["rehearse"].start(user, "en", {"scenario": "missed-deadlines"}).id,
        services.modes["practice"].start(user, "en", {"scenario": "cant-delegate"}).id,
        services.modes["qa"].start(user, "en", {"notes": "# Plan\nWe ship in May."}).id,
    ]
    ends = [fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == "end"]
    assert len(ends) == 3
    notices = 0
    for session_id in sessions:
        for fn in ends:
            args = [
                session_id if isinstance(block, gr.State) else empty_value(block)
                for block in fn.inputs
            ]
            for step in steps_of(fn.fn(*args)):
                assert isinstance(step, tuple) and len(step) == len(fn.outputs), fn.outputs
                notices += "coach-notice-error" in str(step[0])
    assert notices >= 3  # each mode said what went wrong in its own tab
