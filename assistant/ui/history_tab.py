"""The History tab: every session of every mode, filtered; read a transcript (with rewind
branches), export it or all of them as Markdown or JSON, delete one after a confirmation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import gradio as gr

from assistant.export import render, safe_file_name, session_export, to_markdown
from assistant.store import SessionSummary, Store
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.render import mode_name, notice_html


def _minutes(start: str, end: str) -> int:
    try:
        delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    except ValueError:
        return 0
    return max(0, round(delta.total_seconds() / 60))


def history_rows(
    store: Store, user_id: int, mode: str, lang: str, scenario: str = ""
) -> list[list[Any]]:
    """One row per session: id, mode, scenario, language, date, minutes, latest rating."""
    rows = []
    for summary in store.sessions(user_id, limit=1000):
        if mode and summary.mode != mode:
            continue
        session = store.session(user_id, summary.id)
        if session is None or (scenario and session.options.get("scenario") != scenario):
            continue
        debriefs = store.debriefs(session.id)
        rating = debriefs[-1].rating if debriefs and debriefs[-1].rating is not None else None
        rows.append(
            [
                session.id,
                mode_name(lang, session.mode),
                session.title or t(lang, "untitled"),
                session.lang,
                session.created_at[:16].replace("T", " "),
                _minutes(session.created_at, session.updated_at),
                f"{rating:.1f}" if rating is not None else "",
            ]
        )
    return rows


def scenario_choices(store: Store, user_id: int, lang: str) -> list[tuple[str, str]]:
    """The scenarios the user has sessions of (for the filter), plus 'all'."""
    seen: dict[str, str] = {}
    for summary in store.sessions(user_id, limit=1000):
        session = store.session(user_id, summary.id)
        scenario = session.options.get("scenario") if session else None
        if session and scenario and scenario not in seen:
            seen[str(scenario)] = session.title or str(scenario)
    return [(t(lang, "history_all_scenarios"), "")] + sorted(
        ((title, key) for key, title in seen.items()), key=lambda pair: pair[0].lower()
    )


def session_label(summary: SessionSummary, lang: str) -> str:
    """How a session is named in the picker."""
    title = summary.title or t(lang, "untitled")
    return f"#{summary.id} · {title} · {summary.updated_at[:10]}"


@dataclass
class HistoryTab:
    """What the page wires: the picked session, the Resume button and the tab's notice."""

    pick: gr.Dropdown
    resume: gr.Button
    notice: gr.HTML


def build_history_tab(ctx: PageContext, lang0: str, also_modes: Sequence[str] = ()) -> HistoryTab:
    """Lay out the History tab inside the current gr.Tabs and wire its events (Resume is
    wired by the page, which knows every mode's tab); ``also_modes`` are stored modes that a
    mode's tab shows besides its own (filtered and resumed like the registry's)."""
    store, relabel, labels = ctx.services.store, ctx.relabel, ctx.labels
    modes = [spec.name for spec in ctx.services.mode_specs]  # the registry's, in tab order
    modes += [name for name in also_modes if name not in modes]

    def mode_choices(lang: str) -> list[tuple[str, str]]:
        return [(t(lang, "history_all"), "")] + [(mode_name(lang, m), m) for m in modes]

    def headers(lang: str) -> list[str]:
        return [
            t(lang, f"history_col_{c}")
            for c in ("id", "mode", "title", "lang", "date", "minutes", "rating")
        ]

    with labels.tab("tab_history", id="history") as tab:
        with gr.Row(equal_height=True):
            mode = labels.dropdown(
                "history_mode",
                choices=mode_choices,
                value="",
                elem_id="history-mode",
                scale=1,
            )
            # Re-labelled by hand: a language switch re-sets the label only; the choices (the
            # user's scenarios) are filled when the tab is opened.
            scenario = relabel.add(
                gr.Dropdown(
                    [(t(lang0, "history_all_scenarios"), "")],
                    value="",
                    label=t(lang0, "history_scenario"),
                    elem_id="history-scenario",
                    scale=2,
                ),
                lambda lang: gr.Dropdown(label=t(lang, "history_scenario")),
            )
            pick = labels.dropdown("history_pick", elem_id="history-pick", scale=3)
        # Re-labelled by hand: a table's texts are its column headers.
        table = relabel.add(
            gr.Dataframe(
                headers=headers(lang0), interactive=False, elem_id="history-table", wrap=True
            ),
            lambda lang: gr.Dataframe(headers=headers(lang)),
        )
        with gr.Row():
            md_btn = labels.text(
                gr.DownloadButton, "history_export_md", elem_id="history-md", interactive=False
            )
            json_btn = labels.text(
                gr.DownloadButton, "history_export_json", elem_id="history-json", interactive=False
            )
            all_btn = labels.button("history_export_all", elem_id="history-all")
            resume_btn = labels.button(
                "history_resume", variant="primary", elem_id="history-resume", interactive=False
            )
            delete_btn = labels.button("history_delete", elem_id="history-delete")
            confirm_btn = gr.Button("", variant="stop", visible=False, elem_id="history-confirm")
        notice = gr.HTML("", elem_id="history-notice")
        all_file = gr.File(visible=False, interactive=False, elem_id="history-all-file")
        transcript = gr.Markdown("", elem_id="history-transcript")

    def write(name: str, text: str) -> str:
        # Exports hold transcripts: in the user's own folder, served to that user only.
        return ctx.write_download(name, text)

    def refresh(chosen_mode: str, chosen_scenario: str, lang: str) -> tuple[Any, ...]:
        rows = history_rows(store, ctx.user_id, chosen_mode, lang, chosen_scenario or "")
        shown_ids = {row[0] for row in rows}
        summaries = [s for s in store.sessions(ctx.user_id, limit=1000) if s.id in shown_ids]
        choices = [(session_label(s, lang), s.id) for s in summaries]
        return (
            gr.Dataframe(value=rows, headers=headers(lang)),
            gr.Dropdown(choices=choices, value=None),
            gr.Button(interactive=bool(summaries)),
            gr.Dropdown(choices=scenario_choices(store, ctx.user_id, lang)),
            gr.File(value=None, visible=False),
            gr.Button(interactive=False),
        )

    def export_all(chosen_mode: str, chosen_scenario: str, lang: str) -> tuple[Any, Any]:
        """Every listed session in one JSON file, built when asked for (not on each visit)."""
        user_id = ctx.user_id
        rows = history_rows(store, user_id, chosen_mode, lang, chosen_scenario or "")
        everything = [session_export(store, user_id, int(row[0])) for row in rows]
        sessions = [e for e in everything if e]
        if not sessions:
            return gr.File(value=None, visible=False), notice_html(t(lang, "history_pick_first"))
        bundle = json.dumps(sessions, ensure_ascii=False, indent=2)
        return gr.File(value=write("peer-coach-sessions.json", bundle), visible=True), ""

    def open_one(session_id: int | None, lang: str) -> tuple[Any, ...]:
        data = session_export(store, ctx.user_id, int(session_id)) if session_id else None
        if data is None:
            idle = gr.DownloadButton(value=None, interactive=False)
            return "", idle, idle, gr.Button(visible=False), gr.Button(interactive=False)
        name = data["title"] or data["mode"]
        return (
            to_markdown(data),
            gr.DownloadButton(
                value=write(safe_file_name(name, data["id"], "md"), render(data, "md")),
                interactive=True,
            ),
            gr.DownloadButton(
                value=write(safe_file_name(name, data["id"], "json"), render(data, "json")),
                interactive=True,
            ),
            gr.Button(visible=False),
            gr.Button(interactive=data["mode"] in modes),
        )

    def ask_delete(session_id: int | None, lang: str) -> tuple[Any, Any]:
        if not session_id:
            return gr.Button(visible=False), notice_html(t(lang, "history_pick_first"))
        return gr.Button(t(lang, "history_confirm", id=session_id), visible=True), ""

    def delete(
        session_id: int | None, chosen_mode: str, chosen_scenario: str, lang: str
    ) -> tuple[Any, ...]:
        if not session_id or not store.delete_session(ctx.user_id, int(session_id)):
            missing = notice_html(
                t(lang, "session_none_deleted", id=session_id)
                if session_id
                else t(lang, "history_pick_first")
            )
            return (gr.skip(),) * len(listing) + ("", gr.Button(visible=False), missing)
        return (
            *refresh(chosen_mode, chosen_scenario, lang),
            "",
            gr.Button(visible=False),
            notice_html(t(lang, "history_deleted", id=session_id), "info"),
        )

    listing = [table, pick, all_btn, scenario, all_file, resume_btn]
    filters = [mode, scenario, ctx.language]
    tab.select(refresh, filters, listing, api_visibility="private")
    mode.input(refresh, filters, listing, api_visibility="private")
    scenario.input(refresh, filters, listing, api_visibility="private")
    pick.input(
        open_one,
        [pick, ctx.language],
        [transcript, md_btn, json_btn, confirm_btn, resume_btn],
        api_visibility="private",
    )
    all_btn.click(export_all, filters, [all_file, notice], api_visibility="private")
    delete_btn.click(
        ask_delete, [pick, ctx.language], [confirm_btn, notice], api_visibility="private"
    )
    confirm_btn.click(
        delete,
        [pick, mode, scenario, ctx.language],
        [*listing, transcript, confirm_btn, notice],
        api_visibility="private",
    )
    return HistoryTab(pick=pick, resume=resume_btn, notice=notice)
