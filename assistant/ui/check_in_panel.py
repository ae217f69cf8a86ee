"""The goal check-in before a rehearsal, a Q&A round or a coaching practice.

A reflection opens with the check-in inside the conversation (the coach asks); in the other
modes the model plays someone else, so the check-in is a small panel above the tab instead:
the open goals, a box for how it went, Save or Skip. It shows when the tab is opened and the
person has open goals without a check-in today; the answer is stored as a check-in on each
goal shown (progress unchanged; it can be updated in the Goals tab).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import gradio as gr

from assistant.goals import MAX_CHECK_IN_GOALS, checked_in_on, goal_lines, record_check_ins
from assistant.store import Goal
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.render import inert, notice_html


def due_for_check_in(goals: list[Goal], today: date) -> list[Goal]:
    """The open goals to ask about: up to three, none already checked in on today."""
    waiting = [g for g in goals if g.status == "open" and not checked_in_on(g, today)]
    return waiting[:MAX_CHECK_IN_GOALS]


@dataclass
class CheckInPanel:
    """The panel's components."""

    group: gr.Group
    prompt: gr.Markdown
    answer: gr.Textbox
    notice: gr.HTML


def build_check_in_panel(ctx: PageContext, lang0: str, prefix: str, tab: Any) -> CheckInPanel:
    """Lay out the (hidden) panel at the current place and show it when ``tab`` is opened."""
    labels, store = ctx.labels, ctx.services.store
    skipped = gr.State(False)
    with gr.Group(visible=False, elem_id=f"{prefix}-check-in") as group:
        prompt = gr.Markdown("", elem_id=f"{prefix}-check-in-goals")
        with gr.Row(equal_height=True):
            answer = labels.textbox(
                "check_in_answer", lines=2, elem_id=f"{prefix}-check-in-answer", scale=5
            )
            with gr.Column(scale=1, min_width=140):
                save = labels.button(
                    "check_in_save",
                    variant="primary",
                    size="sm",
                    elem_id=f"{prefix}-check-in-save",
                )
                skip = labels.button("check_in_skip", size="sm", elem_id=f"{prefix}-check-in-skip")
    # Hidden while empty, so the panel leaves no gap when there is nothing to ask.
    notice = gr.HTML("", visible=False, elem_id=f"{prefix}-check-in-notice")

    def today() -> date:
        return datetime.now(UTC).date()

    def refresh(lang: str, was_skipped: bool) -> tuple[Any, Any, Any]:
        goals = [] if was_skipped else due_for_check_in(store.goals(ctx.user_id), today())
        if not goals:
            return gr.Group(visible=False), gr.skip(), gr.skip()
        lines = [inert(line) for line in goal_lines(goals, lang, today())]
        text = "\n".join([f"**{t(lang, 'check_in_title')}**", *lines])
        return gr.Group(visible=True), text, gr.HTML("", visible=False)

    def record(text: str, lang: str) -> tuple[Any, Any, Any]:
        if not text.strip():
            return (
                gr.skip(),
                gr.skip(),
                gr.HTML(notice_html(t(lang, "check_in_empty")), visible=True),
            )
        user_id = ctx.user_id
        stored = record_check_ins(
            store, user_id, due_for_check_in(store.goals(user_id), today()), text.strip()
        )
        if not stored:  # say so, and keep the words in the box
            nothing = notice_html(t(lang, "check_in_nothing_due"))
            return gr.skip(), gr.skip(), gr.HTML(nothing, visible=True)
        saved = notice_html(t(lang, "check_in_saved"), "info")
        return gr.Group(visible=False), "", gr.HTML(saved, visible=True)

    tab.select(refresh, [ctx.language, skipped], [group, prompt, notice], api_visibility="private")
    save.click(record, [answer, ctx.language], [group, answer, notice], api_visibility="private")
    skip.click(
        lambda: (gr.Group(visible=False), True), None, [group, skipped], api_visibility="private"
    )
    return CheckInPanel(group=group, prompt=prompt, answer=answer, notice=notice)
