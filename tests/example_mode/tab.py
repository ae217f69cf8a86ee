"""The tab of the example mode: start, a chat with Send, and how History shows a session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.ui.context import PageContext
from assistant.ui.mode_tab import ModeTab
from assistant.ui.render import chat_messages
from assistant.ui.turn import stream_turn
from tests.example_mode.mode import Listener


def build_echo_tab(ctx: PageContext, mode: Listener) -> ModeTab:
    store = ctx.services.store
    with gr.Tab("Echo", id="echo"):
        state = gr.State(None)
        start_btn = gr.Button("Start", elem_id="echo-start")
        chatbot = gr.Chatbot(elem_id="echo-chat")
        message = gr.Textbox(elem_id="echo-message")
        notice = gr.HTML("", elem_id="echo-notice")

    def start(lang: str) -> tuple[Any, Any]:
        session = mode.start(ctx.user_id, lang)
        return session.id, chat_messages(store.turns(session.id), lang)

    start_btn.click(start, [ctx.language], [state, chatbot], api_name="echo_start")

    def send(text: str, session_id: int | None, lang: str) -> Iterator[tuple[Any, ...]]:
        session = ctx.load_session(session_id)
        if session is None:
            return
        turns = store.turns(session.id)
        for step in stream_turn(
            mode.respond(session, text, turns),
            store=store,
            session_id=session.id,
            turns=turns,
            render=lambda now: chat_messages(now, lang),
            lang=lang,
            user_text=text,
        ):
            yield step.chat, step.message, step.notice

    message.submit(send, [message, state, ctx.language], [chatbot, message, notice])

    def show(session_id: int, lang: str) -> tuple[Any, ...]:
        return session_id, chat_messages(store.turns(session_id), lang)

    return ModeTab(mode=mode.name, tab_id="echo", outputs=[state, chatbot], show=show)
