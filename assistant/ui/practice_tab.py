"""The Practice tab: coach a coachee the model plays; see what each line counted as and, at
the end, your listening counts against the MITI 4 thresholds, then a balanced debrief."""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.feedback import render_html
from assistant.modes.practice import Badge, Practice, SkillReport, badge, skill_report
from assistant.skills import LABELS
from assistant.ui.analyse_panel import build_analyse_panel
from assistant.ui.check_in_panel import build_check_in_panel
from assistant.ui.context import PageContext
from assistant.ui.debrief_goal import build_debrief_goal, offer, unchanged
from assistant.ui.debrief_view import debrief_updates
from assistant.ui.i18n import t
from assistant.ui.mode_tab import ModeTab, chat_box, latest_debrief, start_row
from assistant.ui.render import notice_html
from assistant.ui.status import warm_when_picked
from assistant.ui.turn import stop_turn, stream_turn
from assistant.ui.turn_chips import rehearse_chat

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


def build_practice_tab(ctx: PageContext, mode: Practice) -> ModeTab:
    """Lay out the Practice tab inside the current gr.Tabs and wire its events; returns how
    History shows one of its sessions again."""
    store, labels = ctx.services.store, ctx.labels
    lang0 = labels.lang

    def persona_choices(lang: str) -> list[tuple[str, str]]:
        return [(s.title, s.id) for s in mode.coachees(lang, ctx.user_id_or_none)]

    with labels.tab("tab_practice", id="practice") as tab:
        state = gr.State(None)
        build_check_in_panel(ctx, lang0, "practice", tab)
        labels.markdown("practice_intro")
        choices = persona_choices(lang0)
        row = start_row(
            labels,
            "practice",
            picker_label="practice_persona",
            picker_id="persona",
            choices=persona_choices,
            value=choices[0][1] if choices else None,
            start_label="practice_start",
        )
        persona, difficulty, start_btn = row.picker, row.difficulty, row.start
        chatbot = chat_box(labels, "practice-chat", 380)
        live = labels.labelled(gr.Checkbox, "practice_live", value=True, elem_id="practice-live")
        live_badge = gr.HTML("", elem_id="practice-badge")
        with gr.Row(equal_height=True):
            message = labels.textbox(
                "practice_message",
                placeholder="message_placeholder",
                lines=2,
                elem_id="practice-message",
                scale=5,
            )
            send_btn = labels.button("send", variant="primary", elem_id="practice-send", scale=1)
            stop_btn = labels.button("stop", elem_id="practice-stop", scale=0, min_width=100)
        end_btn = labels.button("practice_end", elem_id="practice-end")
        notice = gr.HTML("", elem_id="practice-notice")
        counts = gr.HTML("", elem_id="practice-report")
        debrief = gr.HTML("", elem_id="practice-debrief")
        goal_row = build_debrief_goal(ctx, lang0, "practice", state)
        # Learn from a real conversation: a section of its own (assistant/ui/analyse_panel.py).
        analyse_panel = build_analyse_panel(ctx, "practice", report_html)

    def start(persona_id: str, level: str, lang: str) -> tuple[Any, ...]:
        try:
            session = mode.start(ctx.user_id, lang, {"scenario": persona_id, "difficulty": level})
        except CoachError as exc:
            failed = (gr.skip(), gr.skip(), "", notice_html(exc.message(lang)), "", "")
            return (*failed, gr.skip(), gr.skip(), gr.skip())
        chat = rehearse_chat(store.turns(session.id), lang)
        return session.id, chat, "", "", "", "", *offer(None, lang)

    def picked(persona_id: str, level: str, lang: str) -> None:
        # Read the session's prompt while the person reads about the coachee (warm_up.py).
        mode.warm_scenario(ctx.user_id, lang, {"scenario": persona_id, "difficulty": level})

    warm_when_picked((persona, difficulty), picked, [persona, difficulty, ctx.language])

    start_btn.click(
        start,
        [persona, difficulty, ctx.language],
        [state, chatbot, live_badge, notice, counts, debrief, *goal_row.outputs],
        api_name="practice",
    )

    def send(text: str, session_id: int | None, show: bool, lang: str) -> Iterator[Any]:
        session = ctx.load_session(session_id)
        if session is None or session.mode != mode.name:
            yield gr.skip(), gr.skip(), gr.skip(), notice_html(t(lang, "practice_none"))
            return
        lang = session.lang
        turns = store.turns(session.id)
        label = badge_html(badge(text, lang), lang) if show and text.strip() else ""
        steps = stream_turn(
            mode.respond(session, text, turns),
            store=store,
            session_id=session.id,
            turns=turns,
            render=lambda now: rehearse_chat(now, lang),
            lang=lang,
            user_text=text,
        )
        for step in steps:
            if step.phase == "shown":
                yield step.chat, step.message, label, step.notice
            elif step.phase == "failed":
                yield step.chat, step.message, "", step.notice
            else:
                yield step.chat, step.message, gr.skip(), step.notice

    limit = ctx.services.settings.chat_concurrency
    inputs = [message, state, live, ctx.language]
    outputs = [chatbot, message, live_badge, notice]
    sent = [
        send_btn.click(send, inputs, outputs, api_name="practice_send", concurrency_limit=limit),
        message.submit(send, inputs, outputs, api_visibility="private", concurrency_limit=limit),
    ]

    def stop(session_id: int | None, lang: str, shown: Any = None) -> tuple[Any, Any]:
        """End the coachee's streaming reply: what arrived is stored and marked."""
        if session_id is None:
            return gr.skip(), ""
        return stop_turn(
            ctx,
            mode.engine.conversation,
            mode.name,
            session_id,
            render=lambda now: rehearse_chat(now, lang),
            shown=shown,
            lang=lang,
        )

    stop_btn.click(
        stop,
        [state, ctx.language, chatbot],
        [chatbot, notice],
        cancels=[*sent],
        api_name="practice_stop",
    )

    def end(session_id: int | None, lang: str) -> Iterator[Any]:
        session = ctx.load_session(session_id)
        if session is None or session.mode != mode.name:
            yield notice_html(t(lang, "practice_none")), gr.skip(), gr.skip(), *offer(None, lang)
            return
        report = mode.end(session)
        working = notice_html(t(lang, "rehearse_debrief_working"), "info")
        yield working, report_html(report, session.lang), "", *offer(None, lang)
        person = mode.scenario(session).counterpart.name
        try:
            drafts = mode.debrief_stream(session)
            with closing(debrief_updates(drafts, session.lang, person)) as updates:
                for shown, result in updates:
                    done = result is not None
                    after = offer(result, session.lang) if done else unchanged()
                    yield "" if done else gr.skip(), gr.skip(), shown, *after
        except CoachError as exc:
            yield notice_html(exc.message(lang)), gr.skip(), gr.skip(), *unchanged()

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
    return ModeTab(
        mode=mode.name,
        tab_id="practice",
        outputs=view_outputs,
        show=show,
        connect=analyse_panel.connect,
        also_shows=[analyse_panel.view],
    )
