"""The Reflect tab: the session list, how to start, the stage stepper, the chat (send, stream,
stop, retry) and the action plan.

Reflect is the page's home: the page opens on the newest reflection (or a new one), and the
session list beside it holds every mode's sessions; opening one resumes it in its own tab.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.modes.reflect import (
    STAGE_NAMES,
    VARIANTS,
    ActionPlan,
    Reflect,
    plan_of,
    stage_of,
)
from assistant.modes.session_flow import STAGES
from assistant.store import Session, Turn
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.mode_tab import ModeTab, PageShell, resume_in_tab, toggle_inputs
from assistant.ui.render import chat_messages, inert, notice_html
from assistant.ui.resend_offer import build_resend_offer
from assistant.ui.turn import stop_turn, stream_turn


def stage_choices(lang: str) -> list[tuple[str, str]]:
    """The stepper's choices: numbered stage names and their ids."""
    names = STAGE_NAMES["da" if lang == "da" else "en"]
    return [(f"{i}. {names[stage]}", stage) for i, stage in enumerate(STAGES, 1)]


def prepared_words(turns: list[Turn]) -> str:
    """The person's own words in a reflection, oldest first: what a "prepare a hard
    conversation" reflection hands to the scenario builder."""
    return "\n\n".join(turn.text.strip() for turn in turns if turn.role == "user" and turn.text)


def variant_choices(lang: str) -> list[tuple[str, str]]:
    """The ways to start a reflection."""
    return [(t(lang, f"variant_{variant.replace('-', '_')}"), variant) for variant in VARIANTS]


def build_reflect_tab(ctx: PageContext, reflect: Reflect) -> ModeTab:
    """Lay out the Reflect tab inside the current gr.Tabs and wire its events."""
    store, labels = ctx.services.store, ctx.labels
    lang0 = labels.lang
    with labels.tab("tab_reflect", id="reflect"):
        # The open reflection's id (inside the tab: a State directly in gr.Tabs would count
        # as a tab in the browser and shift every tab after it).
        session_state = gr.State(None)
        with gr.Row():
            with gr.Column(scale=1, min_width=220):
                new_btn = labels.button("new_session", elem_id="new-session")
                # Every mode's sessions; ``list_update`` fills and labels it per event.
                session_list = gr.Radio(
                    choices=[], label=t(lang0, "sessions"), elem_id="session-list"
                )
            with gr.Column(scale=4):
                labels.markdown("reflect_intro")
                variant = labels.radio(
                    "variant_label",
                    choices=variant_choices,
                    value="open",
                    elem_id="reflect-variant",
                )
                stage = labels.radio(
                    "stage_label",
                    info="stage_info",
                    choices=stage_choices,
                    value=STAGES[0],
                    elem_id="reflect-stage",
                )
                chatbot = labels.chatbot(
                    "chat_label",
                    height=440,
                    elem_id="chat",
                    feedback_options=None,
                    buttons=["copy"],
                )
                message = labels.textbox(
                    "message_label",
                    placeholder="message_placeholder",
                    lines=2,
                    max_lines=12,
                    elem_id="message",
                    autofocus=True,
                )
                with gr.Row():
                    send_btn = labels.button("send", variant="primary", elem_id="send")
                    stop_btn = labels.button("stop", elem_id="stop", scale=0, min_width=130)
                    retry_btn = labels.button("retry", elem_id="retry", scale=0, min_width=130)
                rehearse_btn = labels.button(
                    "reflect_rehearse_this",
                    variant="primary",
                    visible=False,
                    elem_id="reflect-rehearse",
                )
                notice = gr.HTML("", elem_id="notice")
                resend = build_resend_offer(labels, "reflect")  # Ollama back: send kept words
                with labels.accordion("plan_title", open=False, elem_id="action-plan"):
                    plan_what = labels.textbox("plan_what", lines=2, elem_id="plan-what")
                    with gr.Row():
                        plan_when = labels.textbox("plan_when", elem_id="plan-when")
                        plan_how = labels.textbox("plan_how", elem_id="plan-how")
                    with gr.Row():
                        draft_btn = labels.button("plan_draft", elem_id="plan-draft")
                        save_btn = labels.button(
                            "plan_save", variant="primary", elem_id="plan-save"
                        )
                        goal_btn = labels.button("plan_goal", elem_id="plan-goal")
                    plan_notice = gr.HTML("", elem_id="plan-notice")
    plan_fields = [plan_what, plan_when, plan_how]

    def load(session_id: int | None) -> Session | None:
        """The user's reflection with this id (another mode's session or none: None)."""
        session = ctx.load_session(session_id)
        return session if session is not None and session.mode == reflect.name else None

    def start(lang: str, variant: str | None) -> Session:
        return reflect.open(ctx.user_id, lang, {"variant": variant or "open"})

    def show(session_id: int, lang: str) -> tuple[Any, ...]:
        """Chat, stage and action plan of a session."""
        session = ctx.load_session(session_id)
        turns = store.turns(session_id) if session is not None else []
        if session is None or session.mode != reflect.name:
            return (chat_messages(turns, lang),) + (gr.skip(),) * 5
        plan = plan_of(session)
        return (
            chat_messages(turns, lang),
            gr.Radio(value=stage_of(session)),
            plan.what,
            plan.by_when,
            plan.how_to_know,
            gr.Button(visible=bool(words_in(session, turns))),
        )

    def words_in(session: Session, turns: list[Turn]) -> str:
        """The person's words in a "prepare" reflection ("" for other variants)."""
        return prepared_words(turns) if session.options.get("variant") == "prepare" else ""

    def after_turn(session_id: int | None, lang: str) -> tuple[Any, Any, Any]:
        """The session list, the stage and the rehearsal offer once a turn has ended.

        Kept out of the streaming event: every output of an event costs Gradio work on each
        streamed update, even a skipped one (it rebuilds the component), so the reply's
        updates carry only what changes while it streams.
        """
        session = load(session_id)
        if session is None:
            return gr.skip(), gr.skip(), gr.skip()
        # Only a "prepare" reflection offers the hand-over: read its turns only then.
        preparing = session.options.get("variant") == "prepare"
        offer = gr.Button(visible=preparing and bool(words_in(session, store.turns(session.id))))
        return ctx.list_update(lang, session.id), stage_of(session), offer

    def run_turn(
        text: str | None, session_id: int | None, lang: str, *, retry: bool
    ) -> Iterator[tuple[Any, ...]]:
        skip = gr.skip()
        try:
            session = load(session_id)
            if session is None and retry:  # nothing was sent yet: nothing to start for it
                yield skip, skip, notice_html(t(lang, "nothing_to_retry"), "info"), session_id
                return
            session = session or start(lang, None)
        except CoachError as exc:  # e.g. the database is busy or read-only: keep the words
            yield skip, (text or skip), notice_html(exc.message(lang)), session_id
            return
        lang = session.lang
        turns = store.turns(session.id)

        def render(now: list[Turn]) -> list[dict[str, str]]:
            return chat_messages(now, lang)

        if retry:
            last_user = max((i for i, turn in enumerate(turns) if turn.role == "user"), default=-1)
            if last_user < 0:
                yield skip, skip, notice_html(t(lang, "nothing_to_retry"), "info"), session.id
                return
            steps = stream_turn(
                reflect.retry(session, turns),
                store=store,
                session_id=session.id,
                turns=turns,
                render=render,
                lang=lang,
                shown_turns=turns[: last_user + 1],
            )
        else:
            steps = stream_turn(
                reflect.respond(session, text or "", turns),
                store=store,
                session_id=session.id,
                turns=turns,
                render=render,
                lang=lang,
                user_text=text or "",
            )
        for step in steps:
            known = session.id if step.phase in ("shown", "failed") else skip
            yield step.chat, step.message, step.notice, known

    def send(text: str, session_id: int | None, lang: str) -> Iterator[tuple[Any, ...]]:
        yield from run_turn(text, session_id, lang, retry=False)

    def retry(session_id: int | None, lang: str) -> Iterator[tuple[Any, ...]]:
        yield from run_turn(None, session_id, lang, retry=True)

    def stop(session_id: int | None, lang: str, shown: Any = None) -> tuple[Any, Any]:
        # The words the page showed stay shown (the store may not hold them all yet).
        return stop_turn(
            ctx,
            reflect.conversation,
            reflect.name,
            session_id,
            render=lambda now: chat_messages(now, lang),
            lang=lang,
            shown=shown,
        )

    inputs = [message, session_state, ctx.language]
    outputs = [chatbot, message, notice, session_state]
    limit = ctx.services.settings.chat_concurrency
    send_event = send_btn.click(send, inputs, outputs, api_name="send", concurrency_limit=limit)
    submit_event = message.submit(
        send, inputs, outputs, api_visibility="private", concurrency_limit=limit
    )
    retry_event = retry_btn.click(
        retry,
        [session_state, ctx.language],
        outputs,
        api_name="retry",
        concurrency_limit=limit,
    )

    def own_turns(session_id: int | None) -> list[Turn] | None:
        session = load(session_id)
        return store.turns(session.id) if session is not None else None

    resend_event = resend.on_send(session_state, ctx.language, own_turns, retry, outputs, limit)
    for event in (send_event, submit_event, retry_event, resend_event):
        event.then(
            after_turn,
            [session_state, ctx.language],
            [session_list, stage, rehearse_btn],
            api_visibility="private",
        )
    stop_btn.click(
        stop,
        [session_state, ctx.language, chatbot],
        [chatbot, notice],
        cancels=[send_event, submit_event, retry_event, resend_event],
        api_name="stop",
    )

    def jump(chosen: str, session_id: int | None) -> None:
        session = load(session_id)
        if session is not None and chosen in STAGES:
            reflect.set_stage(session, chosen)

    # "always_last": a stage clicked while the previous click is still being stored is stored
    # after it (Gradio's default for .input, "once", would drop it while the page shows it).
    stage.input(
        jump, [stage, session_state], None, api_name="set_stage", trigger_mode="always_last"
    )

    def draft_plan(session_id: int | None, lang: str) -> tuple[Any, ...]:
        session = load(session_id)
        if session is None:
            return gr.skip(), gr.skip(), gr.skip(), ""
        try:
            plan = reflect.draft_action_plan(session)
        except CoachError as exc:
            return gr.skip(), gr.skip(), gr.skip(), notice_html(exc.message(lang))
        info = notice_html(t(lang, "plan_drafted"), "info")
        return plan.what, plan.by_when, plan.how_to_know, info

    def written_plan(what: str, by_when: str, how: str) -> ActionPlan:
        return ActionPlan(what=what.strip(), by_when=by_when.strip(), how_to_know=how.strip())

    def save_plan(what: str, by_when: str, how: str, session_id: int | None, lang: str) -> str:
        session, plan = load(session_id), written_plan(what, by_when, how)
        if session is None or plan.empty:
            return notice_html(t(lang, "plan_empty"))
        reflect.save_action_plan(session, plan)
        return notice_html(t(lang, "plan_saved"), "info")

    def save_as_goal(what: str, by_when: str, how: str, session_id: int | None, lang: str) -> str:
        session, plan = load(session_id), written_plan(what, by_when, how)
        if session is None or not plan.what:
            return notice_html(t(lang, "plan_empty"))
        reflect.save_as_goal(session, plan)
        return notice_html(t(lang, "plan_goal_saved"), "info")

    goal_btn.click(
        save_as_goal,
        [*plan_fields, session_state, ctx.language],
        [plan_notice],
        api_name="save_goal",
    )
    draft_btn.click(
        draft_plan,
        [session_state, ctx.language],
        [*plan_fields, plan_notice],
        api_name="draft_plan",
    )
    save_btn.click(
        save_plan,
        [*plan_fields, session_state, ctx.language],
        [plan_notice],
        api_name="save_plan",
    )

    session_outputs = [
        session_state,
        session_list,
        notice,
        chatbot,
        stage,
        *plan_fields,
        rehearse_btn,
    ]

    def show_session(session_id: int, lang: str, info: str = "") -> tuple[Any, ...]:
        """The reflection in the tab, selected in the list, with a notice."""
        return (session_id, ctx.list_update(lang, session_id), info, *show(session_id, lang))

    def connect(shell: PageShell) -> None:
        """The page's start, the session list, the language switch and the hand-over to
        another tab: the shell logic of the page's home tab."""
        shown = [*session_outputs, *shell.labelled]
        if shell.status_tick is not None:
            resend.follow(
                shell.status_tick, shell.status_phase, session_state, ctx.language, own_turns
            )

        def shown_in(session_id: int, lang: str, info: str = "") -> tuple[Any, ...]:
            return (*show_session(session_id, lang, info), *ctx.relabel.updates(lang))

        def preview(lang: str, info: str = "") -> tuple[Any, ...]:
            """The opening of a new reflection, not stored until the person writes (Send
            starts the session): a visit without a word leaves nothing in the list."""
            opening = [
                {"role": "assistant", "content": inert(reflect.first_line(ctx.user_id, lang))}
            ]
            empty = (opening, gr.Radio(value=STAGES[0]), "", "", "", gr.Button(visible=False))
            listed = ctx.list_update(lang, None)
            return (None, listed, info, *empty, *ctx.relabel.updates(lang))

        def on_load(lang: str) -> tuple[Any, ...]:
            sessions = [s for s in ctx.sessions() if s.mode == reflect.name]
            session = load(sessions[0].id) if sessions else None
            if session is None:
                shown_now = (*shell.check_status(lang), *preview(lang))
            else:
                lang = session.lang
                shown_now = (*shell.check_status(lang), *shown_in(session.id, lang))
            shell.first_view.set()
            return shown_now

        page = [*shell.status_outputs, *shown]
        shell.demo.load(on_load, [ctx.language], page)

        def new_session(lang: str, variant: str | None) -> tuple[Any, ...]:
            return shown_in(start(lang, variant).id, lang)

        new_btn.click(new_session, [ctx.language, variant], shown)
        # The chat's own clear button starts a fresh session; the old one stays in the list.
        chatbot.clear(new_session, [ctx.language, variant], shown)

        def choose_variant(lang: str, chosen: str, session_id: int | None) -> tuple[Any, ...]:
            """A new way to start replaces a session that has no words of the user yet."""
            session = reflect.restart(ctx.user_id, load(session_id), lang, {"variant": chosen})
            return shown_in(session.id, lang)

        variant.input(choose_variant, [ctx.language, variant, session_state], shown)

        others = shell.views_except(reflect.name)
        other_outputs = [component for view in others for component in view.outputs]

        def open_session(session_id: int | None, lang: str, *toggles: Any) -> tuple[Any, ...]:
            """Open a session from the list: a reflection here, any other in its own tab."""
            session = ctx.load_session(int(session_id)) if session_id else None
            leave = (gr.skip(),) * len(other_outputs)
            if session is None or session.mode not in shell.views:
                missing = notice_html(t(lang, "session_missing"))
                updates = [gr.skip()] * len(page)
                updates[len(shell.status_outputs) + 2] = missing
                return (*updates, gr.skip(), *leave)
            if session.mode != reflect.name:
                updates = [gr.skip()] * len(page)
                resumed = resume_in_tab(others, session.mode, session.id, lang, toggles)
                return (*updates, *resumed)
            # Opening a reflection in the other language switches the page to it.
            status = shell.check_status(session.lang) if session.lang != lang else (gr.skip(),) * 2
            selected = gr.Tabs(selected="reflect")
            return (*status, *shown_in(session.id, session.lang), selected, *leave)

        session_list.input(
            open_session,
            [session_list, ctx.language, *toggle_inputs(others)],
            [*page, shell.tabs, *other_outputs],
        )

        def switch_language(lang: str, session_id: int | None) -> tuple[Any, ...]:
            session = load(session_id)
            info, session_id = "", session.id if session else None
            if session is None:  # nothing written yet: the opening in the new language
                return (*shell.check_status(lang), *preview(lang))
            if session.lang != lang:
                has_words = session is not None and reflect.has_words(session)
                variant_now = session.options.get("variant") if session else None
                session_id = reflect.restart(
                    ctx.user_id, session, lang, {"variant": variant_now or "open"}
                ).id
                info = notice_html(t(lang, "language_switched"), "info") if has_words else ""
            assert session_id is not None
            return (*shell.check_status(lang), *shown_in(session_id, lang, info))

        ctx.language.input(switch_language, [ctx.language, session_state], page)

        target = next((v for v in shell.views.values() if v.takes_over), None)
        if target is None or target.takes_over is None:
            return
        handover = target.takes_over

        def rehearse_this(session_id: int | None, lang: str) -> Iterator[tuple[Any, ...]]:
            """Switch to the other tab with its builder holding the person's words."""
            session = load(session_id)
            words = words_in(session, store.turns(session.id)) if session else ""
            selected: Any = gr.Tabs(selected=target.tab_id)
            for update in handover.prefill(words, "", lang):
                yield (selected, *update)
                selected = gr.skip()

        rehearse_btn.click(
            rehearse_this,
            [session_state, ctx.language],
            [shell.tabs, *handover.outputs],
            api_visibility="private",
            concurrency_limit=ctx.services.settings.chat_concurrency,
        )

    def show_reflection(session_id: int, lang: str) -> tuple[Any, ...]:
        return show_session(session_id, lang)

    return ModeTab(
        mode=reflect.name,
        tab_id="reflect",
        outputs=session_outputs,
        show=show_reflection,
        connect=connect,
    )
