""" "Save as a goal" under a debrief (Rehearse, Q&A practice, Practice coaching).

After a debrief the page offers its first "try next time" as a goal, with the weakest success
criterion as the measure; the person edits both and saves, and the goal then shows up in the
Goals tab and in the next session's check-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.feedback import DebriefResult
from assistant.goals import goal_from_debrief
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.render import notice_html


@dataclass
class DebriefGoal:
    """The hidden "keep this as a goal" row under a debrief."""

    group: gr.Group
    text: gr.Textbox
    measure: gr.Textbox
    due: gr.Textbox
    notice: gr.HTML

    @property
    def outputs(self) -> list[Any]:
        """What ``offer`` updates, in order (``OUTPUTS`` of them)."""
        return [self.group, self.text, self.measure, self.due, self.notice]


OUTPUTS = 5  # len(DebriefGoal.outputs)


def offer(result: DebriefResult | None, lang: str) -> tuple[Any, ...]:
    """Show the row prefilled from a debrief (hidden when there is none). A new debrief also
    clears the date and the "saved" notice left from a goal kept from an earlier one."""
    if result is None:
        return gr.Group(visible=False), *unchanged()[1:]
    text, measure = goal_from_debrief(result.debrief, lang)
    return gr.Group(visible=True), text, measure, "", ""


def unchanged() -> tuple[Any, ...]:
    """Leave the row as it is."""
    return (gr.skip(),) * OUTPUTS


def build_debrief_goal(ctx: PageContext, lang0: str, prefix: str, state: gr.State) -> DebriefGoal:
    """Lay out the row (hidden until a debrief exists) and wire its Save button; ``state``
    holds the tab's session id so the goal remembers where it came from."""
    relabel, labels = ctx.relabel, ctx.labels
    with gr.Group(visible=False, elem_id=f"{prefix}-goal") as group:
        labels.markdown("debrief_goal_intro")
        with gr.Row(equal_height=True):
            text = labels.textbox("debrief_goal_text", elem_id=f"{prefix}-goal-text", scale=4)
            # Re-labelled by hand: the placeholder is a date, not an i18n key.
            due = relabel.add(
                gr.Textbox(
                    label=t(lang0, "debrief_goal_due"),
                    placeholder="2026-12-31",
                    elem_id=f"{prefix}-goal-due",
                    scale=1,
                ),
                lambda lang: gr.Textbox(label=t(lang, "debrief_goal_due")),
            )
        with gr.Row(equal_height=True):
            measure = labels.textbox(
                "debrief_goal_measure", elem_id=f"{prefix}-goal-measure", scale=4
            )
            save = labels.button("debrief_goal_save", elem_id=f"{prefix}-goal-save", scale=1)
        notice = gr.HTML("", elem_id=f"{prefix}-goal-notice")

    def save_goal(what: str, how: str, by_when: str, session_id: int | None, lang: str) -> str:
        if not what.strip():
            return notice_html(t(lang, "debrief_goal_empty"))
        store = ctx.services.store
        session = ctx.load_session(session_id)
        if session_id and session is None:  # another user's session: save nothing
            return notice_html(t(lang, "debrief_goal_no_session"))
        store.add_goal(
            ctx.user_id,
            what.strip(),
            measure=how.strip(),
            due=by_when.strip(),
            session_id=session.id if session else None,
        )
        return notice_html(t(lang, "plan_goal_saved"), "info")

    save.click(
        save_goal,
        [text, measure, due, state, ctx.language],
        [notice],
        api_name=f"{prefix}_save_goal",
    )
    return DebriefGoal(group=group, text=text, measure=measure, due=due, notice=notice)
