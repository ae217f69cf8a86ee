"""The Reflect tab: the chat with the peer coach (send, stream, stop, retry)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.render import chat_messages, notice_html


@dataclass
class ReflectTab:
    """The components other parts of the page update (opening a session fills the chat)."""

    chatbot: gr.Chatbot
    message: gr.Textbox
    notice: gr.HTML


def build_reflect_tab(ctx: PageContext, lang0: str) -> ReflectTab:
    """Lay out the Reflect tab inside the current gr.Tabs and wire its events."""
    store, relabel = ctx.services.store, ctx.relabel
    with relabel.add(
        gr.Tab(t(lang0, "tab_reflect"), id="reflect"),
        lambda lang: gr.Tab(label=t(lang, "tab_reflect")),
    ):
        relabel.add(
            gr.Markdown(t(lang0, "reflect_intro")),
            lambda lang: gr.Markdown(t(lang, "reflect_intro")),
        )
        chatbot = relabel.add(
            gr.Chatbot(
                label=t(lang0, "chat_label"),
                height=460,
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
        notice = gr.HTML("", elem_id="notice")

    def run_turn(
        text: str | None, session_id: int | None, lang: str, *, retry: bool
    ) -> Iterator[tuple[Any, ...]]:
        session = ctx.load_session(session_id) or ctx.start_session(lang)
        lang = session.lang
        turns = store.turns(session.id)
        mode = ctx.services.modes[session.mode]
        if retry:
            last_user = max((i for i, turn in enumerate(turns) if turn.role == "user"), default=-1)
            if last_user < 0:
                info = notice_html(t(lang, "nothing_to_retry"), "info")
                yield gr.skip(), gr.skip(), info, session.id, gr.skip()
                return
            history = chat_messages(turns[: last_user + 1], lang)
            yield history, gr.skip(), "", session.id, gr.skip()
            replies = mode.retry(session)
        else:
            text = text or ""
            # Show the user's words at once; they are stored before the model is called.
            history = [*chat_messages(turns, lang), {"role": "user", "content": text}]
            yield history, "", "", session.id, gr.skip()
            replies = mode.respond(session, text)
        try:
            for snapshot in replies:
                # The notice is left alone here so a "stopped" message is not wiped.
                chat = [*history, {"role": "assistant", "content": snapshot}]
                yield chat, gr.skip(), gr.skip(), session.id, gr.skip()
        except CoachError as exc:
            keep = text if exc.code in ("empty_message", "message_too_long") else gr.skip()
            chat = chat_messages(store.turns(session.id), lang)
            yield chat, keep, notice_html(exc.message(lang)), session.id, gr.skip()
            return
        chat = chat_messages(store.turns(session.id), lang)
        yield chat, gr.skip(), gr.skip(), session.id, ctx.list_update(lang, session.id)

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
    outputs = [chatbot, message, notice, ctx.session_state, ctx.session_list]
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
    stop_btn.click(
        stop,
        [ctx.session_state, ctx.language],
        [chatbot, notice],
        cancels=[send_event, submit_event, retry_event],
        api_name="stop",
    )
    return ReflectTab(chatbot=chatbot, message=message, notice=notice)
