"""The Rehearse tab: pick a scenario and difficulty, rehearse, use the controls, get a debrief.

Handlers only translate events into calls on ``assistant.modes.rehearse.Rehearse``; the open
rehearsal's id lives in this tab's own ``gr.State``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.feedback import render_html
from assistant.modes.rehearse import Rehearse
from assistant.scenarios import Scenario
from assistant.store import Session, Turn
from assistant.turn_labels import openness_steps
from assistant.ui.check_in_panel import build_check_in_panel
from assistant.ui.context import PageContext
from assistant.ui.debrief_goal import build_debrief_goal, offer, unchanged
from assistant.ui.debrief_view import debrief_updates
from assistant.ui.i18n import t
from assistant.ui.mode_tab import (
    Handover,
    ModeTab,
    PageShell,
    chat_box,
    latest_debrief,
    start_row,
)
from assistant.ui.render import notice_html
from assistant.ui.resend_offer import build_resend_offer
from assistant.ui.scenario_panel import build_scenario_panel, scenario_options
from assistant.ui.status import warm_when_picked
from assistant.ui.turn import stop_turn, stream_turn
from assistant.ui.turn_chips import (
    chip_last_user_line,
    live_record,
    openness_chart_html,
    rehearse_chat,
    shown_records,
    with_level,
)

DEFAULT_SCENARIO = "missed-deadlines"


def scenario_details(scenario: Scenario | None, lang: str) -> str:
    """Situation, goal, success criteria and who the user talks to, as Markdown.

    The user's own scenarios may contain anything, so every field is HTML-escaped (inert).
    """
    if scenario is None:
        return ""
    person = scenario.counterpart
    criteria = "\n".join(f"- {_inert(c)}" for c in scenario.success_criteria)
    return (
        f"**{t(lang, 'rehearse_situation')}** {_inert(scenario.situation)}\n\n"
        f"**{t(lang, 'rehearse_you_talk_to')}** {_inert(person.name)}, {_inert(person.role)}\n\n"
        f"**{t(lang, 'rehearse_your_goal')}** {_inert(scenario.user_goal)}\n\n"
        f"**{t(lang, 'rehearse_criteria')}**\n{criteria}"
    )


def _inert(text: str) -> str:
    """Text shown in Markdown with any HTML in it displayed, not interpreted."""
    return html.escape(text, quote=False)


def build_rehearse_tab(ctx: PageContext, mode: Rehearse) -> ModeTab:
    """Lay out the Rehearse tab inside the current gr.Tabs and wire its events."""
    store, labels = ctx.services.store, ctx.labels
    lang0 = labels.lang

    def scenario_choices(lang: str) -> list[tuple[str, str]]:
        return scenario_options(mode.scenarios.all(lang, ctx.user_id_or_none), lang)

    def find(scenario_id: str | None, lang: str) -> Scenario | None:
        return next(
            (s for s in mode.scenarios.all(lang, ctx.user_id_or_none) if s.id == scenario_id), None
        )

    with labels.tab("tab_rehearse", id="rehearse") as tab:
        state = gr.State(None)
        build_check_in_panel(ctx, lang0, "rehearse", tab)
        labels.markdown("rehearse_intro")
        ids = [c[1] for c in scenario_choices(lang0)]
        first = DEFAULT_SCENARIO if DEFAULT_SCENARIO in ids else (ids[0] if ids else None)
        row = start_row(
            labels,
            "rehearse",
            picker_label="rehearse_scenario",
            picker_id="scenario",
            choices=scenario_choices,
            value=first,
            start_label="rehearse_start",
        )
        picker, difficulty, start_btn = row.picker, row.difficulty, row.start
        builder = build_scenario_panel(ctx, lang0, mode, picker)
        details = gr.Markdown(
            scenario_details(find(first, lang0), lang0),
            elem_id="rehearse-details",
        )
        chatbot = chat_box(labels, "rehearse-chat", 400)
        settings = ctx.services.settings
        with gr.Row():
            chips_on = labels.labelled(
                gr.Checkbox,
                "live_labels_toggle",
                value=settings.live_labels,
                elem_id="rehearse-chips",
            )
            meter_on = labels.labelled(
                gr.Checkbox,
                "openness_meter_toggle",
                value=settings.openness_meter,
                elem_id="rehearse-meter",
            )
        hint = gr.Markdown("", elem_id="rehearse-hint")
        with gr.Row(equal_height=True):
            message = labels.textbox(
                "rehearse_message",
                placeholder="message_placeholder",
                lines=2,
                elem_id="rehearse-message",
                scale=5,
            )
            send_btn = labels.button("send", variant="primary", elem_id="rehearse-send", scale=1)
            stop_btn = labels.button("stop", elem_id="rehearse-stop", scale=0, min_width=100)
        with gr.Row(equal_height=True):
            timeout_btn = labels.button("rehearse_timeout", elem_id="rehearse-timeout")
            switch_btn = labels.button("rehearse_switch", elem_id="rehearse-switch")
            debrief_btn = labels.button(
                "rehearse_debrief", variant="primary", elem_id="rehearse-end"
            )
        with gr.Row(equal_height=True):
            rewind_to = labels.dropdown(
                "rehearse_rewind_to", choices=None, elem_id="rehearse-rewind-to", scale=3
            )
            rewind_btn = labels.button("rehearse_rewind", elem_id="rehearse-rewind", scale=1)
            branch = labels.dropdown(
                "rehearse_branches", choices=None, elem_id="rehearse-branch", scale=3
            )
        notice = gr.HTML("", elem_id="rehearse-notice")
        resend = build_resend_offer(labels, "rehearse")  # Ollama back: send the kept words
        debrief = gr.HTML("", elem_id="rehearse-debrief")
        openness = gr.HTML("", elem_id="rehearse-openness")
        goal_row = build_debrief_goal(ctx, lang0, "rehearse", state)

    # --- helpers ------------------------------------------------------------------------------

    def choices(session: Any) -> tuple[Any, Any]:
        """Rewind choices and branch choices for a session."""
        lines = [
            (f"{i}. {_short(turn.text)}", turn.id)
            for i, turn in enumerate(mode.your_lines(session), 1)
        ]
        branches = mode.branches(session)
        branch_choices = [(f"{b.label} ({b.user_turns})", b.leaf_id) for b in branches]
        active = next((b.leaf_id for b in branches if b.active), None)
        return (
            gr.Dropdown(choices=lines, value=None),
            gr.Dropdown(choices=branch_choices, value=active),
        )

    def chat_of(
        session_id: int, turns: list[Turn], lang: str, chips: bool, meter: bool | None = None
    ) -> Any:
        """The chat, with the stored labels' chips and the openness meter as toggled."""
        meter = settings.openness_meter if meter is None else meter
        stored = store.turn_labels(session_id) if chips or meter else None
        shown = shown_records(stored, chips=chips, meter=meter)
        return rehearse_chat(turns, lang, shown, meter=meter)

    def controls(
        session_id: int, lang: str, chips: bool | None = None, meter: bool | None = None
    ) -> tuple[Any, Any, Any]:
        """Fresh chat, rewind choices and branch choices for a session (the page's toggles
        given, the settings' defaults otherwise)."""
        session = ctx.load_session(session_id)
        if session is None:
            return [], gr.Dropdown(choices=[], value=None), gr.Dropdown(choices=[], value=None)
        on = settings.live_labels if chips is None else chips
        chat = chat_of(session.id, store.turns(session.id), lang, on, meter)
        return (chat, *choices(session))

    def chart(session: Session) -> str:
        """The openness chart of a rehearsal's current branch."""
        person = mode.scenario(session).counterpart.name
        return openness_chart_html(
            openness_steps(session, store.turns(session.id)), person, session.lang
        )

    def need_session(session_id: int | None, lang: str) -> Session:
        session = ctx.load_session(session_id)
        if session is None or session.mode != mode.name:
            raise CoachError("no_rehearsal", t("en", "rehearse_none"), t("da", "rehearse_none"))
        return session

    def switch_label(session_id: int | None, lang: str) -> Any:
        session = ctx.load_session(session_id)
        switched = session is not None and mode.is_switched(session)
        return gr.Button(t(lang, "rehearse_switch_back" if switched else "rehearse_switch"))

    # --- events -------------------------------------------------------------------------------

    def start(scenario_id: str, level: str, lang: str) -> tuple[Any, ...]:
        try:
            session = mode.start(ctx.user_id, lang, {"scenario": scenario_id, "difficulty": level})
        except CoachError as exc:
            return (gr.skip(),) * 7 + (notice_html(exc.message(lang)), gr.skip()) + unchanged()
        chat, lines, branches = controls(session.id, lang)
        started = (session.id, chat, lines, branches, "", "", switch_label(session.id, lang), "")
        return (*started, "", *offer(None, lang))

    start_outputs = [
        state,
        chatbot,
        rewind_to,
        branch,
        hint,
        debrief,
        switch_btn,
        notice,
        openness,
        *goal_row.outputs,
    ]
    start_btn.click(start, [picker, difficulty, ctx.language], start_outputs, api_name="rehearse")

    def picked(scenario_id: str, level: str, lang: str) -> None:
        # Read the rehearsal's prompt while the person reads the scenario (warm_up.py).
        mode.warm_scenario(ctx.user_id, lang, {"scenario": scenario_id, "difficulty": level})

    warm_when_picked((picker, difficulty), picked, [picker, difficulty, ctx.language])
    picker.change(
        lambda sid, lang: scenario_details(find(sid, lang), lang),
        [picker, ctx.language],
        [details],
    )
    # The same scenario in the page's new language (every built-in exists in both).
    ctx.language.change(
        lambda sid, lang: scenario_details(find(sid, lang), lang),
        [picker, ctx.language],
        [details],
        api_visibility="private",
    )

    def stream(
        session_id: int | None,
        lang: str,
        action: str,
        text: str = "",
        chips: bool = False,
        meter: bool | None = None,
    ) -> Iterator[Any]:
        """The chat, the message box and the notice while a reply streams (see after_turn).

        ``action``: "send" the user's line, "switch" the roles, or "resend" the kept line
        once Ollama is back."""
        try:
            session = need_session(session_id, lang)
        except CoachError as exc:
            yield gr.skip(), gr.skip(), notice_html(exc.message(lang))
            return
        turns = store.turns(session.id)
        switched = bool(session.options.get("switched"))
        if action == "send":
            replies = mode.respond(session, text, turns)
        elif action == "resend":
            replies = mode.retry(session, turns)
        else:
            replies = mode.switch_roles(session, turns)
            switched = not switched
        steps = stream_turn(
            replies,
            store=store,
            session_id=session.id,
            turns=turns,
            render=lambda now: chat_of(session.id, now, lang, chips, meter),
            lang=lang,
            user_text=text if action == "send" else None,
            # While the roles are switched the model writes the user's side.
            reply_role=lambda: "user" if switched else "assistant",
        )
        meter = settings.openness_meter if meter is None else meter
        shows = (chips or meter) and action == "send" and not switched
        live = (live_record(text, lang) if chips else {}) if shows else None
        for step in steps:
            chat = step.chat
            if live is not None and step.phase in ("shown", "streaming"):
                if meter and step.phase == "streaming" and "openness" not in live:
                    # The line's level is stored before its reply starts: read it once.
                    live = with_level(live, store.turn_labels(session.id), turns)
                chat = chip_last_user_line(chat, live, lang, meter=meter)  # before the reply ends
            yield chat, step.message, step.notice

    def after_turn(session_id: int | None, lang: str) -> tuple[Any, Any, Any]:
        """Rewind and branch choices and the switch button once a reply has ended.

        Kept out of the streaming event: every output of an event costs Gradio work on each
        streamed update, even a skipped one (it rebuilds the component).
        """
        session = ctx.load_session(session_id)
        if session is None:
            return gr.skip(), gr.skip(), gr.skip()
        return (*choices(session), switch_label(session.id, lang))

    turn_outputs = [chatbot, message, notice]
    after_outputs = [rewind_to, branch, switch_btn]

    def send(
        text: str, session_id: int | None, lang: str, chips: bool, meter: bool | None = None
    ) -> Iterator[Any]:
        yield from stream(session_id, lang, "send", text, chips, meter)

    def switch(
        session_id: int | None, lang: str, chips: bool, meter: bool | None = None
    ) -> Iterator[Any]:
        yield from stream(session_id, lang, "switch", chips=chips, meter=meter)

    limit = ctx.services.settings.chat_concurrency
    toggles = [chips_on, meter_on]
    inputs = [message, state, ctx.language, *toggles]
    turn_events = [
        send_btn.click(
            send, inputs, turn_outputs, api_name="rehearse_send", concurrency_limit=limit
        ),
        message.submit(
            send, inputs, turn_outputs, api_visibility="private", concurrency_limit=limit
        ),
        switch_btn.click(
            switch, [state, ctx.language, *toggles], turn_outputs, concurrency_limit=limit
        ),
    ]

    def own_turns(session_id: int | None) -> list[Turn] | None:
        session = ctx.load_session(session_id)
        return store.turns(session.id) if session is not None else None

    def resend_kept(
        session_id: int | None, lang: str, chips: bool | None = None, meter: bool | None = None
    ) -> Iterator[Any]:
        """Answer the kept line once Ollama is back (the offer checked it still waits), with
        the page's labels and meter as they are set (the settings' without a page)."""
        chips = settings.live_labels if chips is None else chips
        yield from stream(session_id, lang, "resend", chips=chips, meter=meter)

    turn_events.append(
        resend.on_send(
            state, ctx.language, own_turns, resend_kept, turn_outputs, limit, toggles=toggles
        )
    )
    for event in turn_events:
        event.then(after_turn, [state, ctx.language], after_outputs, api_visibility="private")

    def connect(shell: PageShell) -> None:
        if shell.status_tick is not None:
            resend.follow(shell.status_tick, shell.status_phase, state, ctx.language, own_turns)

    def time_out(session_id: int | None, lang: str) -> Iterator[Any]:
        try:
            session = need_session(session_id, lang)
            yield f"**{t(lang, 'rehearse_hint_title')}** …", ""
            for snapshot in mode.time_out(session):
                yield f"**{t(lang, 'rehearse_hint_title')}** {snapshot}", gr.skip()
        except CoachError as exc:
            yield "", notice_html(exc.message(lang))

    timeout_event = timeout_btn.click(
        time_out, [state, ctx.language], [hint, notice], concurrency_limit=limit
    )

    def rewind(session_id: int | None, turn_id: int | None, lang: str) -> tuple[Any, ...]:
        try:
            session = need_session(session_id, lang)
        except CoachError as exc:
            return (gr.skip(),) * 4 + (notice_html(exc.message(lang)),)
        if turn_id is None:
            return (gr.skip(),) * 4 + (notice_html(t(lang, "rehearse_pick_line"), "info"),)
        old_line = mode.rewind(session, int(turn_id))
        chat, lines, branches = controls(session.id, lang)
        info = notice_html(t(lang, "rehearse_rewound"), "info")
        return chat, old_line, lines, branches, info

    rewind_btn.click(
        rewind, [state, rewind_to, ctx.language], [chatbot, message, rewind_to, branch, notice]
    )

    def pick_branch(session_id: int | None, leaf_id: int | None, lang: str) -> tuple[Any, ...]:
        session = ctx.load_session(session_id)
        if session is None or leaf_id is None:
            return gr.skip(), gr.skip()
        mode.select_branch(session, int(leaf_id))
        chat, lines, _ = controls(session.id, lang)
        return chat, lines

    branch.input(pick_branch, [state, branch, ctx.language], [chatbot, rewind_to])

    def end(session_id: int | None, lang: str) -> Iterator[Any]:
        try:
            session = need_session(session_id, lang)
            working = notice_html(t(lang, "rehearse_debrief_working"), "info")
            yield working, gr.skip(), chart(session), *offer(None, lang)
            person = mode.scenario(session).counterpart.name
            drafts = mode.debrief_stream(session)
            with closing(debrief_updates(drafts, session.lang, person)) as updates:
                for shown, result in updates:
                    done = result is not None
                    after = offer(result, session.lang) if done else unchanged()
                    yield "" if done else gr.skip(), shown, gr.skip(), *after
        except CoachError as exc:
            yield notice_html(exc.message(lang)), gr.skip(), gr.skip(), *unchanged()

    def toggle_view(session_id: int | None, lang: str, chips: bool, meter: bool) -> Any:
        """The shown chat with the chips and the meter as just toggled."""
        session = ctx.load_session(session_id)
        if session is None:
            return gr.skip()
        return chat_of(session.id, store.turns(session.id), lang, chips, meter)

    for toggle in toggles:
        toggle.change(
            toggle_view, [state, ctx.language, *toggles], [chatbot], api_visibility="private"
        )

    def stop(
        session_id: int | None, lang: str, chips: bool, meter: bool, shown: Any = None
    ) -> tuple[Any, Any]:
        """End the streaming reply (or hint): what arrived is stored and marked, the user's
        line stays, and the next line goes on from there."""
        if session_id is None:
            return gr.skip(), ""
        return stop_turn(
            ctx,
            mode.conversation,
            mode.name,
            session_id,
            render=lambda now: chat_of(session_id, now, lang, chips, meter),
            lang=lang,
            shown=shown,
        )

    stop_btn.click(
        stop,
        [state, ctx.language, *toggles, chatbot],
        [chatbot, notice],
        cancels=[*turn_events, timeout_event],
        api_name="rehearse_stop",
    ).then(after_turn, [state, ctx.language], after_outputs, api_visibility="private")

    debrief_btn.click(
        end,
        [state, ctx.language],
        [notice, debrief, openness, *goal_row.outputs],
        concurrency_limit=limit,
    )

    def show(
        session_id: int, lang: str, chips: bool | None = None, meter: bool | None = None
    ) -> tuple[Any, ...]:
        """The rehearsal as it was left: scenario, chat (as the page's toggles show it),
        rewind choices and its debrief."""
        session = ctx.load_session(session_id)
        if session is None:
            return (gr.skip(),) * len(view_outputs)
        scenario_id = session.options.get("scenario")
        chat, lines, branches = controls(session.id, lang, chips, meter)
        result = latest_debrief(store, session.id)
        person = mode.scenario(session).counterpart.name if result else ""
        return (
            session.id,
            gr.Dropdown(choices=scenario_choices(session.lang), value=scenario_id),
            session.options.get("difficulty", "realistic"),
            scenario_details(find(scenario_id, session.lang), session.lang),
            chat,
            lines,
            branches,
            "",
            switch_label(session.id, lang),
            "",
            render_html(result, session.lang, person) if result else "",
            chart(session) if result else "",
            *offer(result, session.lang),
        )

    view_outputs = [
        state,
        picker,
        difficulty,
        details,
        chatbot,
        rewind_to,
        branch,
        hint,
        switch_btn,
        notice,
        debrief,
        openness,
        *goal_row.outputs,
    ]
    return ModeTab(
        mode=mode.name,
        tab_id="rehearse",
        outputs=view_outputs,
        show=show,
        takes_over=Handover(builder.prefill_outputs, builder.prefill),
        connect=connect,
        toggles=toggles,
    )


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
