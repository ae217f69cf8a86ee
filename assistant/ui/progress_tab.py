"""The Progress tab: debrief ratings per scenario over time, listening ratios against the
MITI thresholds (one chart per measure, each with its own MITI lines, on a session-indexed
axis labelled with dates), the feedback moves of rehearsals per session, and goals opened and
completed per week. Empty charts are replaced by a line
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
    """Each debrief's rating with its date, its place among the debriefs (number and date,
    the chart's axis: a time axis spreads two debriefs of one day over hours or seconds) and
    its session's scenario."""
    rows: list[dict[str, Any]] = []
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
    rows.sort(key=lambda row: row["when"])
    for number, row in enumerate(rows, start=1):
        row["debrief"] = f"{number:02d} · {row['when'].date().isoformat()}"
    return pd.DataFrame(rows, columns=["when", "debrief", "rating", "scenario"])


MEASURES = ("reflection_to_question_ratio", "percent_complex_reflections")
MITI_LINES = {
    "reflection_to_question_ratio": ((RQ_FAIR, "progress_rq_fair"), (RQ_GOOD, "progress_rq_good")),
    "percent_complex_reflections": ((CR_FAIR, "progress_cr_fair"), (CR_GOOD, "progress_cr_good")),
}
FRAME_COLUMNS = ["session", "value", "line"]


def session_label(number: int, stamp: str) -> str:
    """A session's place on a session-indexed axis: its number and date ("03 · 2026-12-02").

    Zero-padded so the labels sort in session order."""
    return f"{number:02d} · {_day(stamp).date().isoformat()}"


def _sessions_oldest_first(store: Store, user_id: int) -> list[Any]:
    found = [store.session(user_id, s.id) for s in store.sessions(user_id, limit=1000)]
    return sorted((s for s in found if s is not None), key=lambda s: (s.updated_at, s.id))


def listening_frames(store: Store, user_id: int, lang: str) -> dict[str, pd.DataFrame]:
    """One frame per listening measure of the Practice sessions, each on a session-indexed
    axis (dates as labels) with its own MITI 'fair' and 'good' lines; empty without data."""
    rows: dict[str, list[dict[str, Any]]] = {key: [] for key in MEASURES}
    scored = [s for s in _sessions_oldest_first(store, user_id) if (s.options.get("skills") or {})]
    for number, session in enumerate(scored, start=1):
        metrics = session.options["skills"].get("metrics") or {}
        label = session_label(number, session.updated_at)
        for key in MEASURES:
            if metrics.get(key) is not None:
                name = t(lang, f"measure_{key}")
                rows[key].append({"session": label, "value": float(metrics[key]), "line": name})
    frames = {}
    for key in MEASURES:
        sessions = [row["session"] for row in rows[key]]
        lines = [
            {"session": session, "value": level, "line": t(lang, name)}
            for level, name in MITI_LINES[key]
            for session in sessions
        ]
        frames[key] = pd.DataFrame([*rows[key], *lines], columns=FRAME_COLUMNS)
    return frames


def skills_frame(store: Store, user_id: int, lang: str) -> pd.DataFrame:
    """Both listening measures in one frame (for exports); each chart uses its own frame."""
    frames = [f.assign(measure=k) for k, f in listening_frames(store, user_id, lang).items()]
    return pd.concat(frames, ignore_index=True) if any(not f.empty for f in frames) else frames[0]


def moves_frames(store: Store, user_id: int, lang: str) -> dict[str, pd.DataFrame]:
    """Per rehearsal with live labels: the share of lines with a concrete observation (%) and
    the number of blame lines, each on a session-indexed axis; empty without labelled lines."""
    rows: dict[str, list[dict[str, Any]]] = {"observation": [], "blame": []}
    number = 0
    for session in _sessions_oldest_first(store, user_id):
        records = [r for r in store.turn_labels(session.id).values() if r.get("kind") == "rehearse"]
        if not records:
            continue
        number += 1
        label = session_label(number, session.updated_at)
        seen = sum("observation" in r.get("labels", []) for r in records)
        blamed = sum("blame" in r.get("labels", []) for r in records)
        share = 100 * seen / len(records)
        rows["observation"].append(
            {"session": label, "value": share, "line": t(lang, "progress_observation_line")}
        )
        rows["blame"].append(
            {"session": label, "value": float(blamed), "line": t(lang, "progress_blame_line")}
        )
    return {key: pd.DataFrame(found, columns=FRAME_COLUMNS) for key, found in rows.items()}


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


# The charts on a session axis: chart key -> the i18n key of its title.
LISTENING_CHARTS = {key: f"measure_{key}" for key in MEASURES}
MOVE_CHARTS = {"observation": "progress_observation_line", "blame": "progress_blame_line"}
SESSION_AXIS = "progress_session_axis"
# Every chart's x, y and legend (color) titles: chart key -> their i18n keys.
AXIS_TITLES: dict[str, tuple[str, str, str]] = {
    "ratings": ("progress_axis_debrief", "progress_axis_rating", "progress_axis_scenario"),
    "reflection_to_question_ratio": (
        SESSION_AXIS,
        "measure_reflection_to_question_ratio",
        "progress_axis_miti",
    ),
    "percent_complex_reflections": (SESSION_AXIS, "progress_axis_complex", "progress_axis_miti"),
    "observation": (SESSION_AXIS, "progress_axis_share", "progress_axis_measure"),
    "blame": (SESSION_AXIS, "progress_axis_blame", "progress_axis_measure"),
    "goals": ("progress_axis_week", "progress_axis_goals", "progress_axis_goal_status"),
}


def axis_titles(chart: str, lang: str) -> dict[str, Any]:
    """A chart's x, y and legend titles in ``lang``, as the plot's keyword arguments."""
    x, y, color = AXIS_TITLES[chart]
    return {"x_title": t(lang, x), "y_title": t(lang, y), "color_title": t(lang, color)}


def session_plot(
    chart: str, title: str, lang: str, frame: pd.DataFrame | None = None, **kw: Any
) -> gr.LinePlot:
    """A chart on the session axis (or its update), titled with the i18n key ``title`` and
    its axis titles in ``lang``; shown only with data. Every refresh sends the titles again,
    so they follow the page's language as the tab's other texts do."""
    shown = frame is not None and not frame.empty
    if shown:
        kw["value"] = frame
    label = t(lang, title)
    return gr.LinePlot(visible=shown, label=label, **axis_titles(chart, lang), **kw)


def session_plots(titles: dict[str, str], prefix: str, lang: str) -> dict[str, gr.LinePlot]:
    """Lay out one hidden chart per key, with the element id ``prefix`` + key."""
    return {
        key: session_plot(
            key, title, lang, x="session", y="value", color="line", elem_id=prefix + key
        )
        for key, title in titles.items()
    }


def build_progress_tab(ctx: PageContext, lang0: str) -> None:
    """Lay out the Progress tab inside the current gr.Tabs and wire its events."""
    store = ctx.services.store
    with ctx.labels.tab("tab_progress", id="progress") as tab:
        ratings_title = gr.Markdown(f"### {t(lang0, 'progress_ratings')}")
        ratings_empty = gr.Markdown(
            t(lang0, "progress_ratings_empty"), elem_id="progress-ratings-empty"
        )
        ratings = gr.LinePlot(
            x="debrief",
            y="rating",
            color="scenario",
            visible=False,
            elem_id="progress-ratings",
            y_lim=[1, 5],
            **axis_titles("ratings", lang0),
        )
        skills_title = gr.Markdown(f"### {t(lang0, 'progress_skills')}")
        skills_empty = gr.Markdown(
            t(lang0, "progress_skills_empty"), elem_id="progress-skills-empty"
        )
        listening_plots = session_plots(LISTENING_CHARTS, "progress-", lang0)
        moves_title = gr.Markdown(f"### {t(lang0, 'progress_moves')}")
        moves_empty = gr.Markdown(t(lang0, "progress_moves_empty"), elem_id="progress-moves-empty")
        move_plots = session_plots(MOVE_CHARTS, "progress-moves-", lang0)
        goals_title = gr.Markdown(f"### {t(lang0, 'progress_goals')}")
        goals_empty = gr.Markdown(t(lang0, "progress_goals_empty"), elem_id="progress-goals-empty")
        goals_plot = gr.BarPlot(
            x="week",
            y="count",
            color="what",
            visible=False,
            elem_id="progress-goals",
            **axis_titles("goals", lang0),
        )

    def refresh(lang: str) -> tuple[Any, ...]:
        user_id = ctx.user_id  # the user of this request
        rated = ratings_frame(store, user_id)
        listening = listening_frames(store, user_id, lang)
        moves = moves_frames(store, user_id, lang)
        goals = goals_frame(store, user_id, lang)

        def pair(frame: pd.DataFrame, plot: type, key: str, chart: str) -> tuple[Any, Any]:
            titles = axis_titles(chart, lang)
            if frame.empty:
                return gr.Markdown(t(lang, key), visible=True), plot(visible=False, **titles)
            return gr.Markdown(visible=False), plot(value=frame, visible=True, **titles)

        def group(
            frames: dict[str, pd.DataFrame], titles: dict[str, str], key: str
        ) -> tuple[Any, ...]:
            empty = all(frame.empty for frame in frames.values())
            note = gr.Markdown(t(lang, key), visible=empty)
            plots = (session_plot(k, title, lang, frames[k]) for k, title in titles.items())
            return (note, *plots)

        return (
            f"### {t(lang, 'progress_ratings')}",
            *pair(rated, gr.LinePlot, "progress_ratings_empty", "ratings"),
            f"### {t(lang, 'progress_skills')}",
            *group(listening, LISTENING_CHARTS, "progress_skills_empty"),
            f"### {t(lang, 'progress_moves')}",
            *group(moves, MOVE_CHARTS, "progress_moves_empty"),
            f"### {t(lang, 'progress_goals')}",
            *pair(goals, gr.BarPlot, "progress_goals_empty", "goals"),
        )

    outputs = [
        ratings_title,
        ratings_empty,
        ratings,
        skills_title,
        skills_empty,
        *listening_plots.values(),
        moves_title,
        moves_empty,
        *move_plots.values(),
        goals_title,
        goals_empty,
        goals_plot,
    ]
    tab.select(refresh, [ctx.language], outputs, api_visibility="private")
    ctx.language.change(refresh, [ctx.language], outputs, api_visibility="private")
