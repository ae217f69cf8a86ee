"""The Reflect tab: how to start, the stage stepper, the chat (send, stream, stop, retry) and
the action plan."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.modes.reflect import STAGE_NAMES, VARIANTS, ActionPlan, Reflect
from assistant.modes.session_flow import STAGES
from assistant.store import Turn
from assistant.ui.context import PageContext
from assistant.ui.early_reply import early_reply
from assistant.ui.i18n import t
from assistant.ui.render import chat_messages, notice_html, unsaved_text, user_lines


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


@dataclass
class ReflectTab:
    """What the page shell updates when a session is opened, started or re-languaged."""

    chatbot: gr.Chatbot
    notice: gr.HTML
    variant: gr.Radio
    session_outputs: list[Any]
    show: Callable[[int, str], tuple[Any, ...]]
    # "Rehearse this conversation": shown in a "prepare" reflection once the person has
    # described the situation; the page shell wires it to the Rehearse tab's builder.
    rehearse_button: gr.Button
    prepared_words: Callable[[int | None], str]


def build_reflect_tab(ctx: PageContext, lang0: str) -> ReflectTab:
    """Lay out the Reflect tab inside the current gr.Tabs and wire its events."""
    store, relabel = ctx.services.store, ctx.relabel
    reflect = ctx.services.modes["reflect"]
    assert isinstance(reflect, Reflect)
    with relabel.add(
        gr.Tab(t(lang0, "tab_reflect"), id="reflect"),
        lambda lang: gr.Tab(label=t(lang, "tab_reflect")),
    ):
        with gr.Row():
            with gr.Column(scale=1, min_width=220):
                ctx.new_session_button.render()
                ctx.session_list.render()
            with gr.Column(scale=4):
                relabel.add(
                    gr.Markdown(t(lang0, "reflect_intro")),
                    lambda lang: gr.Markdown(t(lang, "reflect_intro")),
                )
                variant = relabel.add(
                    gr.Radio(
                        variant_choices(lang0),
                        value="open",
                        label=t(lang0, "variant_label"),
                        elem_id="reflect-variant",
                    ),
                    lambda lang: gr.Radio(
                        choices=variant_choices(lang), label=t(lang, "variant_label")
                    ),
                )
                stage = relabel.add(
                    gr.Radio(
                        stage_choices(lang0),
                        value=STAGES[0],
                        label=t(lang0, "stage_label"),
                        elem_id="reflect-stage",
                        info=t(lang0, "stage_info"),
                    ),
                    lambda lang: gr.Radio(
                        choices=stage_choices(lang),
                        label=t(lang, "stage_label"),
                        info=t(lang, "stage_info"),
                    ),
                )
                chatbot = relabel.add(
                    gr.Chatbot(
                        label=t(lang0, "chat_label"),
                        height=440,
                        elem_id="chat",
                        feedback_options=None,
                        buttons=["copy"],
                    ),
                    lambda lang: gr.Chatbot(label=t(lang, "chat_label")),
                )
                message = relabel.add(
                    gr.Textbox(
                        label=t(lang0, "message_label"),
                        placeholder=t(lang0, "message_placeholder"),
                        lines=2,
                        max_lines=12,
                        elem_id="message",
                        autofocus=True,
                    ),
                    lambda lang: gr.Textbox(
                        label=t(lang, "message_label"), placeholder=t(lang, "message_placeholder")
                    ),
                )
                with gr.Row():
                    send_btn = relabel.add(
                        gr.Button(t(lang0, "send"), variant="primary", elem_id="send"),
                        lambda lang: gr.Button(t(lang, "send")),
                    )
                    stop_btn = relabel.add(
                        gr.Button(t(lang0, "stop"), elem_id="stop", scale=0, min_width=130),
                        lambda lang: gr.Button(t(lang, "stop")),
                    )
                    retry_btn = relabel.add(
                        gr.Button(t(lang0, "retry"), elem_id="retry", scale=0, min_width=130),
                        lambda lang: gr.Button(t(lang, "retry")),
                    )
                rehearse_btn = relabel.add(
                    gr.Button(
                        t(lang0, "reflect_rehearse_this"),
                        variant="primary",
                        visible=False,
                        elem_id="reflect-rehearse",
                    ),
                    lambda lang: gr.Button(t(lang, "reflect_rehearse_this")),
                )
                notice = gr.HTML("", elem_id="notice")
                with relabel.add(
                    gr.Accordion(t(lang0, "plan_title"), open=False, elem_id="action-plan"),
                    lambda lang: gr.Accordion(label=t(lang, "plan_title")),
                ):
                    plan_what = relabel.add(
                        gr.Textbox(label=t(lang0, "plan_what"), lines=2, elem_id="plan-what"),
                        lambda lang: gr.Textbox(label=t(lang, "plan_what")),
                    )
                    with gr.Row():
                        plan_when = relabel.add(
                            gr.Textbox(label=t(lang0, "plan_when"), elem_id="plan-when"),
                            lambda lang: gr.Textbox(label=t(lang, "plan_when")),
                        )
                        plan_how = relabel.add(
                            gr.Textbox(label=t(lang0, "plan_how"), elem_id="plan-how"),
                            lambda lang: gr.Textbox(label=t(lang, "plan_how")),
                        )
                    with gr.Row():
                        draft_btn = relabel.add(
                            gr.Button(t(lang0, "plan_draft"), elem_id="plan-draft"),
                            lambda lang: gr.Button(t(lang, "plan_draft")),
                        )
                        save_btn = relabel.add(
                            gr.Button(
                                t(lang0, "plan_save"), variant="primary", elem_id="plan-save"
                            ),
                            lambda lang: gr.Button(t(lang, "plan_save")),
                        )
                        goal_btn = relabel.add(
                            gr.Button(t(lang0, "plan_goal"), elem_id="plan-goal"),
                            lambda lang: gr.Button(t(lang, "plan_goal")),
                        )
                    plan_notice = gr.HTML("", elem_id="plan-notice")

    def show(session_id: int, lang: str) -> tuple[Any, ...]:
        """Chat, stage and action plan of a session."""
        session = ctx.load_session(session_id)
        if session is None or session.mode != reflect.name:
            return (chat_messages(store.turns(session_id), lang),) + (gr.skip(),) * 5
        plan = reflect.action_plan(session)
        return (
            chat_messages(store.turns(session_id), lang),
            gr.Radio(value=reflect.stage(session)),
            plan.what,
            plan.by_when,
            plan.how_to_know,
            offer_rehearsal(session_id),
        )

    def words_of(session_id: int | None) -> str:
        """The person's words in a "prepare" reflection ("" for other variants)."""
        session = ctx.load_session(session_id)
        if session is None or session.options.get("variant") != "prepare":
            return ""
        return prepared_words(store.turns(session.id))

    def offer_rehearsal(session_id: int | None) -> Any:
        """Show "Rehearse this conversation" once a "prepare" reflection has the situation."""
        return gr.Button(visible=bool(words_of(session_id)))

    def after_turn(session_id: int | None, lang: str) -> tuple[Any, Any, Any]:
        """The session list, the stage and the rehearsal offer once a turn has ended.

        Kept out of the streaming event: every output of an event costs Gradio work on each
        streamed update, even a skipped one (it rebuilds the component), so the reply's
        updates carry only what changes while it streams.
        """
        session = ctx.load_session(session_id)
        if session is None:
            return gr.skip(), gr.skip(), gr.skip()
        stage_now = reflect.stage(session) if session.mode == reflect.name else gr.skip()
        return ctx.list_update(lang, session.id), stage_now, offer_rehearsal(session.id)

    def run_turn(
        text: str | None, session_id: int | None, lang: str, *, retry: bool
    ) -> Iterator[tuple[Any, ...]]:
        try:
            session = ctx.load_session(session_id) or ctx.start_session(lang)
        except CoachError as exc:  # e.g. the database is busy or read-only: keep the words
            skip = gr.skip()
            yield skip, (text or skip), notice_html(exc.message(lang)), session_id
            return
        lang = session.lang
        turns = store.turns(session.id)
        mode = ctx.services.modes[session.mode]
        skip = gr.skip()
        before = user_lines(turns)
        if retry:
            last_user = max((i for i, turn in enumerate(turns) if turn.role == "user"), default=-1)
            if last_user < 0:
                info = notice_html(t(lang, "nothing_to_retry"), "info")
                yield skip, skip, info, session.id
                return
            history = chat_messages(turns[: last_user + 1], lang)
            replies = early_reply(mode.retry(session))
            yield history, skip, "", session.id
        else:
            text = text or ""
            # Show the user's words at once; they are stored before the model is called, and
            # the reply starts meanwhile.
            history = [*chat_messages(turns, lang), {"role": "user", "content": text}]
            replies = early_reply(mode.respond(session, text))
            yield history, "", "", session.id
        try:
            for snapshot in replies:
                # The notice is left alone here so a "stopped" message is not wiped.
                chat = [*history, {"role": "assistant", "content": snapshot}]
                yield chat, skip, skip, skip
        except CoachError as exc:
            turns_now = store.turns(session.id)
            kept = None if retry else unsaved_text(text or "", before, turns_now)
            keep = kept if kept is not None else skip
            chat = chat_messages(turns_now, lang)
            yield chat, keep, notice_html(exc.message(lang)), session.id
            return
        yield chat_messages(store.turns(session.id), lang), skip, skip, skip

    def send(text: str, session_id: int | None, lang: str) -> Iterator[tuple[Any, ...]]:
        yield from run_turn(text, session_id, lang, retry=False)

    def retry(session_id: int | None, lang: str) -> Iterator[tuple[Any, ...]]:
        yield from run_turn(None, session_id, lang, retry=True)

    def stop(session_id: int | None, lang: str) -> tuple[Any, Any]:
        session = ctx.load_session(session_id)
        if session is None:
            return gr.skip(), ""
        store.interrupt_streaming(session.id)
        stopped = notice_html(t(lang, "stopped"), "info")
        return chat_messages(store.turns(session.id), lang), stopped

    inputs = [message, ctx.session_state, ctx.language]
    outputs = [chatbot, message, notice, ctx.session_state]
    limit = ctx.services.settings.chat_concurrency
    send_event = send_btn.click(send, inputs, outputs, api_name="send", concurrency_limit=limit)
    submit_event = message.submit(
        send, inputs, outputs, api_visibility="private", concurrency_limit=limit
    )
    retry_event = retry_btn.click(
        retry,
        [ctx.session_state, ctx.language],
        outputs,
        api_name="retry",
        concurrency_limit=limit,
    )
    for event in (send_event, submit_event, retry_event):
        event.then(
            after_turn,
            [ctx.session_state, ctx.language],
            [ctx.session_list, stage, rehearse_btn],
            api_visibility="private",
        )
    stop_btn.click(
        stop,
        [ctx.session_state, ctx.language],
        [chatbot, notice],
        cancels=[send_event, submit_event, retry_event],
        api_name="stop",
    )

    def jump(chosen: str, session_id: int | None) -> None:
        session = ctx.load_session(session_id)
        if session is not None and session.mode == reflect.name and chosen in STAGES:
            reflect.set_stage(session, chosen)

    stage.input(jump, [stage, ctx.session_state], None, api_name="set_stage")

    def draft_plan(session_id: int | None, lang: str) -> tuple[Any, ...]:
        session = ctx.load_session(session_id)
        if session is None:
            return gr.skip(), gr.skip(), gr.skip(), ""
        try:
            plan = reflect.draft_action_plan(session)
        except CoachError as exc:
            return gr.skip(), gr.skip(), gr.skip(), notice_html(exc.message(lang))
        info = notice_html(t(lang, "plan_drafted"), "info")
        return plan.what, plan.by_when, plan.how_to_know, info

    def save_plan(what: str, by_when: str, how: str, session_id: int | None, lang: str) -> str:
        session = ctx.load_session(session_id)
        plan = ActionPlan(what=what.strip(), by_when=by_when.strip(), how_to_know=how.strip())
        if session is None or plan.empty:
            return notice_html(t(lang, "plan_empty"))
        reflect.save_action_plan(session, plan)
        return notice_html(t(lang, "plan_saved"), "info")

    def save_as_goal(what: str, by_when: str, how: str, session_id: int | None, lang: str) -> str:
        session = ctx.load_session(session_id)
        plan = ActionPlan(what=what.strip(), by_when=by_when.strip(), how_to_know=how.strip())
        if session is None or not plan.what:
            return notice_html(t(lang, "plan_empty"))
        reflect.save_action_plan(session, plan)
        store.add_goal(
            ctx.user_id,
            plan.what,
            measure=plan.how_to_know,
            due=plan.by_when,
            session_id=session.id,
        )
        return notice_html(t(lang, "plan_goal_saved"), "info")

    plan_fields = [plan_what, plan_when, plan_how]
    goal_btn.click(
        save_as_goal,
        [*plan_fields, ctx.session_state, ctx.language],
        [plan_notice],
        api_name="save_goal",
    )
    draft_btn.click(
        draft_plan,
        [ctx.session_state, ctx.language],
        [*plan_fields, plan_notice],
        api_name="draft_plan",
    )
    save_btn.click(
        save_plan,
        [*plan_fields, ctx.session_state, ctx.language],
        [plan_notice],
        api_name="save_plan",
    )
    return ReflectTab(
        chatbot=chatbot,
        notice=notice,
        variant=variant,
        session_outputs=[chatbot, stage, *plan_fields, rehearse_btn],
        show=show,
        rehearse_button=rehearse_btn,
        prepared_words=words_of,
    )
