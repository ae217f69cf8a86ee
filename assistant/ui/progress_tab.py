"""The Progress tab: debrief ratings per scenario over time, listening ratios against the
MITI thresholds, and goals opened and completed per week. Empty charts are replaced by a line
that says how to get data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import gradio as gr
import pandas as pd

from assistant.store import Store
from assistant.ui.context import PageContext
from assistant.ui.i18n import t

RQ_FAIR, RQ_GOOD = 1.0, 2.0
CR_FAIR, CR_GOOD = 40.0, 50.0


def _day(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=None)


def ratings_frame(store: Store, user_id: int) -> pd.DataFrame:
    """Each debrief's rating with its session's date and scenario."""
    rows = []
    for summary in store.sessions(user_id, limit=1000):
        session = store.session(user_id, summary.id)
        if session is None:
            continue
        for debrief in store.debriefs(session.id):
            if debrief.rating is not None:
                scenario = session.title or str(session.options.get("scenario", ""))
                rows.append(
                    {
                        "when": _day(debrief.created_at),
                        "rating": debrief.rating,
                        "scenario": scenario,
                    }
                )
    return pd.DataFrame(rows, columns=["when", "rating", "scenario"])


def skills_frame(store: Store, user_id: int, lang: str) -> pd.DataFrame:
    """Practice sessions' ratios over time, with the MITI 'fair' and 'good' levels as lines."""
    rows = []
    for summary in store.sessions(user_id, limit=1000):
        session = store.session(user_id, summary.id)
        metrics = (session.options.get("skills") or {}).get("metrics") if session else None
        if not session or not metrics:
            continue
        when = _day(session.updated_at)
        for key, name in (
            ("reflection_to_question_ratio", t(lang, "measure_reflection_to_question_ratio")),
            ("percent_complex_reflections", t(lang, "measure_percent_complex_reflections")),
        ):
            value = metrics.get(key)
            if value is not None:
                rows.append({"when": when, "value": float(value), "measure": name, "key": key})
    frame = pd.DataFrame(rows, columns=["when", "value", "measure", "key"])
    if frame.empty:
        return frame
    start, end = frame["when"].min(), frame["when"].max()
    if start == end:
        start -= timedelta(hours=12)
        end += timedelta(hours=12)
    lines = [
        ("reflection_to_question_ratio", RQ_FAIR, "progress_rq_fair"),
        ("reflection_to_question_ratio", RQ_GOOD, "progress_rq_good"),
        ("percent_complex_reflections", CR_FAIR, "progress_cr_fair"),
        ("percent_complex_reflections", CR_GOOD, "progress_cr_good"),
    ]
    extra = [
        {"when": moment, "value": level, "measure": t(lang, label), "key": key}
        for key, level, label in lines
        for moment in (start, end)
    ]
    return pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)


def goals_frame(store: Store, user_id: int, lang: str) -> pd.DataFrame:
    """Goals opened and completed per week (weeks start on Monday)."""
    rows = []
    for goal in store.goals(user_id):
        opened = _day(goal.created_at).date()
        rows.append({"week": _monday(opened), "what": t(lang, "progress_opened")})
        if goal.status == "done":
            done = _day(goal.updated_at).date()
            rows.append({"week": _monday(done), "what": t(lang, "progress_completed")})
    frame = pd.DataFrame(rows, columns=["week", "what"])
    if frame.empty:
        return pd.DataFrame(columns=["week", "what", "count"])
    return frame.groupby(["week", "what"]).size().reset_index(name="count")


def _monday(day: date) -> str:
    return (day - timedelta(days=day.weekday())).isoformat()


def build_progress_tab(ctx: PageContext, lang0: str) -> None:
    """Lay out the Progress tab inside the current gr.Tabs and wire its events."""
    store = ctx.services.store
    with ctx.labels.tab("tab_progress", id="progress") as tab:
        ratings_title = gr.Markdown(f"### {t(lang0, 'progress_ratings')}")
        ratings_empty = gr.Markdown(
            t(lang0, "progress_ratings_empty"), elem_id="progress-ratings-empty"
        )
        ratings = gr.LinePlot(
            x="when",
            y="rating",
            color="scenario",
            visible=False,
            elem_id="progress-ratings",
            y_lim=[1, 5],
        )
        skills_title = gr.Markdown(f"### {t(lang0, 'progress_skills')}")
        skills_empty = gr.Markdown(
            t(lang0, "progress_skills_empty"), elem_id="progress-skills-empty"
        )
        skills_plot = gr.LinePlot(
            x="when", y="value", color="measure", visible=False, elem_id="progress-skills"
        )
        goals_title = gr.Markdown(f"### {t(lang0, 'progress_goals')}")
        goals_empty = gr.Markdown(t(lang0, "progress_goals_empty"), elem_id="progress-goals-empty")
        goals_plot = gr.BarPlot(
            x="week", y="count", color="what", visible=False, elem_id="progress-goals"
        )

    def refresh(lang: str) -> tuple[Any, ...]:
        user_id = ctx.user_id  # the user of this request
        rated = ratings_frame(store, user_id)
        skills = skills_frame(store, user_id, lang)
        goals = goals_frame(store, user_id, lang)

        def pair(frame: pd.DataFrame, plot: type, key: str) -> tuple[Any, Any]:
            if frame.empty:
                return gr.Markdown(t(lang, key), visible=True), plot(visible=False)
            return gr.Markdown(visible=False), plot(value=frame, visible=True)

        return (
            f"### {t(lang, 'progress_ratings')}",
            *pair(rated, gr.LinePlot, "progress_ratings_empty"),
            f"### {t(lang, 'progress_skills')}",
            *pair(skills, gr.LinePlot, "progress_skills_empty"),
            f"### {t(lang, 'progress_goals')}",
            *pair(goals, gr.BarPlot, "progress_goals_empty"),
        )

    outputs = [
        ratings_title,
        ratings_empty,
        ratings,
        skills_title,
        skills_empty,
        skills_plot,
        goals_title,
        goals_empty,
        goals_plot,
    ]
    tab.select(refresh, [ctx.language], outputs, api_visibility="private")
    ctx.language.change(refresh, [ctx.language], outputs, api_visibility="private")
