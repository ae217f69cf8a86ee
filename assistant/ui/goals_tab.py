"""The Goals tab: your goals with their progress, adding one by hand, and checking in."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import gradio as gr

from assistant.goals import celebration, is_overdue, record_check_in
from assistant.store import Goal
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.render import notice_html

STATUSES = ("open", "done", "dropped")


def goals_html(goals: list[Goal], lang: str, today: date) -> str:
    """The goals as a table with a progress bar each; an empty state says how to get one."""
    if not goals:
        return f'<p id="goals-empty">{html.escape(t(lang, "goals_none"))}</p>'
    rows = []
    for goal in goals:
        flag = (
            f' <span class="goal-overdue">{html.escape(t(lang, "goals_overdue"))}</span>'
            if is_overdue(goal, today)
            else ""
        )
        latest = goal.check_ins[-1].note if goal.check_ins else ""
        rows.append(
            "<tr>"
            f"<td><b>{html.escape(goal.text)}</b>{flag}"
            f"<div class='goal-measure'>{html.escape(goal.measure)}</div></td>"
            f"<td>{html.escape(goal.due)}</td>"
            f"<td>{html.escape(t(lang, 'goal_status_' + goal.status))}</td>"
            f"<td><progress max='100' value='{goal.progress}'></progress> {goal.progress}%"
            f"<div class='goal-measure'>{html.escape(latest)}</div></td>"
            "</tr>"
        )
    head = "".join(
        f"<th>{html.escape(t(lang, key))}</th>"
        for key in ("goals_col_goal", "goals_col_due", "goals_col_status", "goals_col_progress")
    )
    return f"<table class='skill-table' id='goals-table'><tr>{head}</tr>{''.join(rows)}</table>"


def build_goals_tab(ctx: PageContext, lang0: str) -> None:
    """Lay out the Goals tab inside the current gr.Tabs and wire its events."""
    store, relabel, labels = ctx.services.store, ctx.relabel, ctx.labels

    def status_choices(lang: str) -> list[tuple[str, str]]:
        return [(t(lang, f"goal_status_{status}"), status) for status in STATUSES]

    with labels.tab("tab_goals", id="goals") as tab:
        labels.markdown("goals_intro")
        table = gr.HTML("", elem_id="goals-list")
        with labels.accordion("goals_checkin_title", open=True, elem_id="goal-checkin"):
            with gr.Row():
                pick = labels.dropdown("goals_pick", elem_id="goal-pick", scale=3)
                progress = labels.labelled(
                    gr.Slider,
                    "goals_progress",
                    minimum=0,
                    maximum=100,
                    value=0,
                    step=5,
                    elem_id="goal-progress",
                    scale=2,
                )
                status = labels.radio(
                    "goals_status",
                    choices=status_choices,
                    value="open",
                    elem_id="goal-status",
                    scale=2,
                )
            note = labels.textbox("goals_note", elem_id="goal-note")
            checkin_btn = labels.button(
                "goals_checkin", variant="primary", elem_id="goal-checkin-save"
            )
        with labels.accordion("goals_add_title", open=False, elem_id="goal-add"):
            text = labels.textbox("plan_what", elem_id="goal-text")
            with gr.Row():
                measure = labels.textbox("plan_how", elem_id="goal-measure")
                # Re-labelled by hand: the placeholder is a date, not an i18n key.
                due = relabel.add(
                    gr.Textbox(
                        label=t(lang0, "goals_due"), placeholder="2026-12-31", elem_id="goal-due"
                    ),
                    lambda lang: gr.Textbox(label=t(lang, "goals_due")),
                )
            add_btn = labels.button("goals_add", elem_id="goal-add-save")
        notice = gr.HTML("", elem_id="goals-notice")

    def refresh(lang: str) -> tuple[Any, Any]:
        goals = store.goals(ctx.user_id)
        choices = [(g.text, g.id) for g in goals if g.status == "open"]
        return goals_html(goals, lang, date.today()), gr.Dropdown(choices=choices, value=None)

    def add(goal_text: str, goal_measure: str, goal_due: str, lang: str) -> tuple[Any, ...]:
        if not goal_text.strip():
            return gr.skip(), gr.skip(), gr.skip(), notice_html(t(lang, "plan_empty"))
        store.add_goal(
            ctx.user_id, goal_text.strip(), measure=goal_measure.strip(), due=goal_due.strip()
        )
        listing, picker = refresh(lang)
        return listing, picker, "", notice_html(t(lang, "goals_added"), "info")

    def check_in(
        goal_id: int | None, value: float, goal_note: str, new_status: str, lang: str
    ) -> tuple[Any, ...]:
        if goal_id is None:
            return gr.skip(), gr.skip(), gr.skip(), notice_html(t(lang, "goals_pick_first"))
        goal = record_check_in(
            store,
            ctx.user_id,
            int(goal_id),
            progress=int(value),
            note=goal_note.strip(),
            status=new_status,
        )
        listing, picker = refresh(lang)
        if goal is None:  # not the user's goal: nothing was stored; keep the note
            return listing, picker, gr.skip(), notice_html(t(lang, "goal_not_found"))
        if goal.status == "done":
            message = notice_html(celebration(goal, lang), "info")
        else:
            message = notice_html(t(lang, "goals_checked_in"), "info")
        return listing, picker, "", message

    tab.select(refresh, [ctx.language], [table, pick], api_visibility="private")
    ctx.language.change(refresh, [ctx.language], [table, pick], api_visibility="private")
    add_btn.click(
        add, [text, measure, due, ctx.language], [table, pick, text, notice], api_name="add_goal"
    )
    checkin_btn.click(
        check_in,
        [pick, progress, note, status, ctx.language],
        [table, pick, note, notice],
        api_name="check_in",
    )
