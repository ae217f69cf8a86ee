"""What a mode's tab gives the page, and the parts the mode tabs share.

Each mode's tab module has one builder, ``build_<mode>_tab(ctx, mode) -> ModeTab``, named in
the mode's ``ModeSpec``. The page builds the tabs in the registry's order, then hands every
tab the ``PageShell`` so it can wire what spans tabs (resuming a session in its own tab,
handing words over to another tab). Nothing here knows the individual modes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from assistant.feedback import DebriefResult
from assistant.scenarios import DIFFICULTIES
from assistant.store import Store
from assistant.ui.i18n import t
from assistant.ui.relabel import Choices, Labels


@dataclass
class Handover:
    """A tab that can take over words written in another tab (Reflect's "rehearse this"):
    ``prefill(words, draft, lang)`` yields updates for ``outputs``."""

    outputs: list[Any]
    prefill: Callable[[str, str, str], Iterator[tuple[Any, ...]]]


@dataclass
class ModeTab:
    """How a mode's tab shows one of its sessions again, and what it offers the page."""

    mode: str
    tab_id: str
    outputs: list[Any]
    show: Callable[..., tuple[Any, ...]]  # (session id, language, *toggle values)
    # Wires events that span tabs; called once every tab exists.
    connect: Callable[[PageShell], None] | None = None
    takes_over: Handover | None = None
    # Views of other stored modes shown in this tab (History's Resume opens them here).
    also_shows: list[ModeTab] = field(default_factory=list)
    # The tab's view toggles (chips, meter): ``show`` gets their values after the language,
    # so a resumed session is shown as the page shows it.
    toggles: list[Any] = field(default_factory=list)


@dataclass
class PageShell:
    """The page's shared parts, for the tabs' ``connect``."""

    demo: gr.Blocks
    tabs: gr.Tabs
    views: dict[str, ModeTab]
    # The Ollama status banner and the Download button, and how to fill them for a language.
    status_outputs: list[Any]
    check_status: Callable[[str], tuple[Any, Any]]
    # Every component whose label follows the language (see Relabeler), in order.
    labelled: list[Any]
    first_view: Any  # threading.Event set when the first page has been shown
    # The banner's own re-check (page.py): its tick event and the watch's phase after it.
    status_tick: Any = None
    status_phase: Any = None

    def views_except(self, mode: str) -> list[ModeTab]:
        """Every tab's view but one mode's, in the page's order."""
        return [view for name, view in self.views.items() if name != mode]


def difficulty_choices(lang: str) -> list[tuple[str, str]]:
    """The difficulty levels, named in a language."""
    return [(t(lang, f"difficulty_{level}"), level) for level in DIFFICULTIES]


@dataclass(frozen=True)
class StartRow:
    """What to practise, how hard, and the button that starts it."""

    picker: gr.Dropdown
    difficulty: gr.Radio
    start: gr.Button


def start_row(
    labels: Labels,
    prefix: str,
    *,
    picker_label: str,
    picker_id: str,
    choices: Choices,
    value: str | None,
    start_label: str,
) -> StartRow:
    """The row of a role-play tab: a picker, the difficulty and the start button (elem_ids
    ``<prefix>-<picker_id>``, ``<prefix>-difficulty``, ``<prefix>-start``)."""
    with gr.Row(equal_height=True):
        picker = labels.dropdown(
            picker_label,
            choices=choices,
            value=value,
            elem_id=f"{prefix}-{picker_id}",
            scale=3,
        )
        difficulty = labels.radio(
            "rehearse_difficulty",
            choices=difficulty_choices,
            value="realistic",
            elem_id=f"{prefix}-difficulty",
            scale=2,
        )
        start = labels.button(start_label, variant="primary", elem_id=f"{prefix}-start", scale=1)
    return StartRow(picker, difficulty, start)


def chat_box(labels: Labels, elem_id: str, height: int) -> gr.Chatbot:
    """A mode's conversation."""
    return labels.chatbot(
        "chat_label", height=height, elem_id=elem_id, feedback_options=None, buttons=["copy"]
    )


def latest_debrief(store: Store, session_id: int) -> DebriefResult | None:
    """The session's newest stored debrief, ready to render, or None."""
    stored = store.debriefs(session_id)
    return DebriefResult.from_data(stored[-1].data) if stored else None


def toggle_inputs(views: Sequence[ModeTab]) -> list[Any]:
    """Every view's toggles, in order: the inputs whose values ``resume_in_tab`` takes."""
    return [toggle for view in views for toggle in view.toggles]


def resume_in_tab(
    views: Sequence[ModeTab],
    mode: str,
    session_id: int,
    lang: str,
    toggle_values: Sequence[Any] = (),
) -> list[Any]:
    """The session's tab selected, then values for every view's outputs (in order): the view
    of the session's mode shows it (with its toggles' values, in ``toggle_inputs`` order, when
    given), the others are left as they are."""
    values: list[Any] = [gr.Tabs(selected=next(v.tab_id for v in views if v.mode == mode))]
    offset = 0
    for view in views:
        own = list(toggle_values[offset : offset + len(view.toggles)])
        offset += len(view.toggles)
        if view.mode == mode:
            values.extend(view.show(session_id, lang, *own))
        else:
            values.extend([gr.skip()] * len(view.outputs))
    return values
