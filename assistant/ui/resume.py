"""Resuming a session from History: each mode's tab says which components show one of its
sessions and how; the page switches to that tab and fills them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.feedback import DebriefResult
from assistant.store import Store


@dataclass
class ModeView:
    """How a mode's tab shows one of its sessions again."""

    mode: str
    tab_id: str
    outputs: list[Any]
    show: Callable[[int, str], tuple[Any, ...]]


def latest_debrief(store: Store, session_id: int) -> DebriefResult | None:
    """The session's newest stored debrief, ready to render, or None."""
    stored = store.debriefs(session_id)
    return DebriefResult.from_data(stored[-1].data) if stored else None


def resume_updates(views: Sequence[ModeView], mode: str, session_id: int, lang: str) -> list[Any]:
    """Values for every view's outputs (in order): the matching view shows the session, the
    others are left as they are."""
    values: list[Any] = []
    for view in views:
        if view.mode == mode:
            values.extend(view.show(session_id, lang))
        else:
            values.extend([gr.skip()] * len(view.outputs))
    return values
