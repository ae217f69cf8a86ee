"""The Practice tab: coach a coachee the model plays; see what each line counted as and, at
the end, your listening counts against the MITI 4 thresholds, then a balanced debrief."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any, cast

import gradio as gr

from assistant.errors import CoachError
from assistant.feedback import render_html
from assistant.modes.practice import PRACTICE, Badge, SkillReport, badge, save_scores, skill_report
from assistant.modes.rehearse import Rehearse
from assistant.scenarios import DIFFICULTIES
from assistant.skills import LABELS
from assistant.ui.check_in_panel import build_check_in_panel
from assistant.ui.context import PageContext
from assistant.ui.debrief_goal import build_debrief_goal, offer
from assistant.ui.early_reply import early_reply
from assistant.ui.i18n import t
from assistant.ui.rehearse_tab import rehearse_chat
from assistant.ui.render import notice_html, unsaved_text, user_lines
from assistant.ui.resume import ModeView, latest_debrief

LEVEL_KEYS = {"below fair": "level_below", "fair": "level_fair", "good": "level_good"}


def badge_html(found: Badge, lang: str) -> str:
    """The live badge: each unit of the line with its label, and a tip when there is one."""
    parts = [
        f'<span class="skill-chip skill-{u.label}" title="{html.escape(u.text)}">'
        f"{html.escape(t(lang, 'label_' + u.label))}</span>"
        for u in found.units
    ]
    tip = f'<div class="skill-tip">{html.escape(found.tip)}</div>' if found.tip else ""
    heading = html.escape(t(lang, "practice_badge_title"))
    return f'<div id="practice-badge-box"><b>{heading}</b> {" ".join(parts)}{tip}</div>'


def report_html(report: SkillReport, lang: str) -> str:
    """The counts (each expandable to the lines behind it), the ratios and the MITI verdict."""
    counts = report.counts
    rows = []
    for label in LABELS:
        units = [u for u in report.units if u.label == label]
        number = getattr(counts, label)
        if label == "advice" and counts.requested_advice:
            number = f"{number} (+{counts.requested_advice} {t(lang, 'practice_asked_for')})"
        items = "".join(f"<li>{html.escape(u.text)}</li>" for u in units)
        behind = f"<details><summary>{len(units)}</summary><ul>{items}</ul></details>"
        name = html.escape(t(lang, "label_" + label))
        shown = html.escape(str(number))
        lines = behind if units else ""
        rows.append(f"<tr><td>{name}</td><td class='num'>{shown}</td><td>{lines}</td></tr>")
    levels = counts.miti_level()

    def measure(key: str, value: float | None, text: str) -> str:
        level = levels.get(key)
        shown = text if value is not None else "–"
        verdict = t(lang, LEVEL_KEYS[level]) if level else ""
        return (
            f"<tr><td>{html.escape(t(lang, 'measure_' + key))}</td>"
            f"<td class='num'>{html.escape(shown)}</td><td>{html.escape(verdict)}</td></tr>"
        )

    rq = counts.reflection_to_question_ratio
    cr = counts.percent_complex_reflections
    po = counts.percent_open_questions
    share = counts.talk_share
    measures = [
        measure("reflection_to_question_ratio", rq, f"{rq:.1f}:1" if rq is not None else ""),
        measure("percent_complex_reflections", cr, f"{cr:.0f} %" if cr is not None else ""),
        measure("percent_open_questions", po, f"{po:.0f} %" if po is not None else ""),
        measure("talk_share", share, f"{100 * share:.0f} %" if share is not None else ""),
    ]
    return (
        f'<div id="practice-counts"><h3>{html.escape(t(lang, "practice_counts_title"))}</h3>'
        f"<table class='skill-table'>{''.join(rows)}</table>"
        f"<h4>{html.escape(t(lang, 'practice_measures_title'))}</h4>"
        f"<table class='skill-table'>{''.join(measures)}</table>"
        f"<p class='skill-verdict'>{html.escape(report.verdict)}</p>"
        f"<p class='skill-thresholds'>{html.escape(t(lang, 'practice_thresholds'))}</p></div>"
    )


def build_practice_tab(ctx: PageContext, lang0: str) -> ModeView:
    """Lay out the Practice tab inside the current gr.Tabs and wire its events; returns how
    History shows one of its sessions again."""
    mode = cast(Rehearse, ctx.services.modes[PRACTICE])
    store, relabel = ctx.services.store, ctx.relabel

    def persona_choices(lang: str) -> list[tuple[str, str]]:
        coachees = [s for s in mode.scenarios.all(lang, ctx.user_id_or_none) if s.role == "coachee"]
        return [(s.title, s.id) for s in coachees]

    def difficulty_choices(lang: str) -> list[tuple[str, str]]:
        return [(t(lang, f"difficulty_{level}"), level) for level in DIFFICULTIES]

    with relabel.add(
        gr.Tab(t(lang0, "tab_practice"), id="practice"),
        lambda lang: gr.Tab(label=t(lang, "tab_practice")),
    ) as tab:
        state = gr.State(None)
        build_check_in_panel(ctx, lang0, "practice", tab)
        relabel.add(
            gr.Markdown(t(lang0, "practice_intro")),
            lambda lang: gr.Markdown(t(lang, "practice_intro")),
        )
        with gr.Row(equal_height=True):
            choices = persona_choices(lang0)
            persona = relabel.add(
                gr.Dropdown(
                    choices,
                    value=choices[0][1] if choices else None,
                    label=t(lang0, "practice_persona"),
                    elem_id="practice-persona",
                    scale=3,
                ),
                lambda lang: gr.Dropdown(
                    choices=persona_choices(lang), label=t(lang, "practice_persona")
                ),
            )
            difficulty = relabel.add(
                gr.Radio(
                    difficulty_choices(lang0),
                    value="realistic",
                    label=t(lang0, "rehearse_difficulty"),
                    elem_id="practice-difficulty",
                    scale=2,
                ),
                lambda lang: gr.Radio(
                    choices=difficulty_choices(lang), label=t(lang, "rehearse_difficulty")
                ),
            )
            start_btn = relabel.add(
                gr.Button(
                    t(lang0, "practice_start"), variant="primary", elem_id="practice-start", scale=1
                ),
                lambda lang: gr.Button(t(lang, "practice_start")),
            )
        chatbot = relabel.add(
            gr.Chatbot(
                label=t(lang0, "chat_label"),
                height=380,
                elem_id="practice-chat",
                feedback_options=None,
                buttons=["copy"],
            ),
            lambda lang: gr.Chatbot(label=t(lang, "chat_label")),
        )
        live = relabel.add(
            gr.Checkbox(value=True, label=t(lang0, "practice_live"), elem_id="practice-live"),
            lambda lang: gr.Checkbox(label=t(lang, "practice_live")),
        )
        live_badge = gr.HTML("", elem_id="practice-badge")
        with gr.Row(equal_height=True):
            message = relabel.add(
                gr.Textbox(
                    label=t(lang0, "practice_message"),
                    placeholder=t(lang0, "message_placeholder"),
                    lines=2,
                    elem_id="practice-message",
                    scale=5,
                ),
                lambda lang: gr.Textbox(
                    label=t(lang, "practice_message"), placeholder=t(lang, "message_placeholder")
                ),
            )
            send_btn = relabel.add(
                gr.Button(t(lang0, "send"), variant="primary", elem_id="practice-send", scale=1),
                lambda lang: gr.Button(t(lang, "send")),
            )
        end_btn = relabel.add(
            gr.Button(t(lang0, "practice_end"), elem_id="practice-end"),
            lambda lang: gr.Button(t(lang, "practice_end")),
        )
        notice = gr.HTML("", elem_id="practice-notice")
        counts = gr.HTML("", elem_id="practice-report")
        debrief = gr.HTML("", elem_id="practice-debrief")
        goal_row = build_debrief_goal(ctx, lang0, "practice", state)

    def start(persona_id: str, level: str, lang: str) -> tuple[Any, ...]:
        try:
            session = mode.start(ctx.user_id, lang, {"scenario": persona_id, "difficulty": level})
        except CoachError as exc:
            failed = (gr.skip(), gr.skip(), "", notice_html(exc.message(lang)), "", "")
            return (*failed, gr.skip(), gr.skip(), gr.skip())
        chat = rehearse_chat(store.turns(session.id), lang)
        return session.id, chat, "", "", "", "", *offer(None, lang)

    start_btn.click(
        start,
        [persona, difficulty, ctx.language],
        [state, chatbot, live_badge, notice, counts, debrief, *goal_row.outputs],
        api_name="practice",
    )

    def send(text: str, session_id: int | None, show: bool, lang: str) -> Iterator[Any]:
        session = ctx.load_session(session_id)
        if session is None or session.mode != PRACTICE:
            yield gr.skip(), gr.skip(), gr.skip(), notice_html(t(lang, "practice_none"))
            return
        lang = session.lang
        turns = store.turns(session.id)
        before = user_lines(turns)
        shown = [*rehearse_chat(turns, lang), {"role": "user", "content": text}]
        label = badge_html(badge(text, lang), lang) if show and text.strip() else ""
        replies = early_reply(mode.respond(session, text))
        yield shown, "", label, ""
        try:
            for snapshot in replies:
                yield [*shown, {"role": "assistant", "content": snapshot}], gr.skip(), gr.skip(), ""
        except CoachError as exc:
            turns_now = store.turns(session.id)
            kept = unsaved_text(text, before, turns_now)
            keep = kept if kept is not None else gr.skip()
            chat = rehearse_chat(turns_now, lang)
            yield chat, keep, "", notice_html(exc.message(lang))
            return
        yield rehearse_chat(store.turns(session.id), lang), gr.skip(), gr.skip(), gr.skip()

    limit = ctx.services.settings.chat_concurrency
    inputs = [message, state, live, ctx.language]
    outputs = [chatbot, message, live_badge, notice]
    send_btn.click(send, inputs, outputs, api_name="practice_send", concurrency_limit=limit)
    message.submit(send, inputs, outputs, api_visibility="private", concurrency_limit=limit)

    def end(session_id: int | None, lang: str) -> Iterator[Any]:
        session = ctx.load_session(session_id)
        if session is None or session.mode != PRACTICE:
            yield notice_html(t(lang, "practice_none")), gr.skip(), gr.skip(), *offer(None, lang)
            return
        report = skill_report(store, session)
        save_scores(store, session, report)
        working = notice_html(t(lang, "rehearse_debrief_working"), "info")
        yield working, report_html(report, session.lang), "", *offer(None, lang)
        try:
            result = mode.debrief(session)
        except CoachError as exc:
            yield notice_html(exc.message(lang)), gr.skip(), "", gr.skip(), gr.skip(), gr.skip()
            return
        person = mode.scenario(session).counterpart.name
        shown = render_html(result, session.lang, person)
        yield "", gr.skip(), shown, *offer(result, session.lang)

    end_btn.click(
        end,
        [state, ctx.language],
        [notice, counts, debrief, *goal_row.outputs],
        concurrency_limit=limit,
    )

    def show(session_id: int, lang: str) -> tuple[Any, ...]:
        """The session as it was left: coachee, chat, the counts (once ended) and debrief."""
        session = ctx.load_session(session_id)
        if session is None:
            return (gr.skip(),) * len(view_outputs)
        result = latest_debrief(store, session.id)
        ended = "skills" in session.options
        person = mode.scenario(session).counterpart.name if result else ""
        return (
            session.id,
            gr.Dropdown(
                choices=persona_choices(session.lang), value=session.options.get("scenario")
            ),
            session.options.get("difficulty", "realistic"),
            rehearse_chat(store.turns(session.id), session.lang),
            "",
            "",
            report_html(skill_report(store, session), session.lang) if ended else "",
            render_html(result, session.lang, person) if result else "",
            *offer(result, session.lang),
        )

    view_outputs = [
        state,
        persona,
        difficulty,
        chatbot,
        live_badge,
        notice,
        counts,
        debrief,
        *goal_row.outputs,
    ]
    return ModeView(PRACTICE, "practice", view_outputs, show)
