"""The Q&A practice tab: paste or upload presentation notes, pick an audience, answer questions.

Handlers only translate events into calls on ``assistant.modes.qa.PresentationQA``; the open
round's id lives in this tab's own ``gr.State``. Under each of the user's answers the chat shows
its length, the estimated speaking time and whether the first sentence answered directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.feedback import render_html
from assistant.modes.qa import (
    DEFAULT_QUESTIONS,
    MAX_QUESTIONS,
    PresentationQA,
    notes_from_file,
    split_sections,
)
from assistant.scenarios import AUDIENCES
from assistant.store import Turn
from assistant.turn_labels import answer_record
from assistant.ui.check_in_panel import build_check_in_panel
from assistant.ui.context import PageContext
from assistant.ui.debrief_goal import build_debrief_goal, offer, unchanged
from assistant.ui.debrief_view import debrief_updates
from assistant.ui.i18n import t
from assistant.ui.mode_tab import (
    ModeTab,
    PageShell,
    chat_box,
    difficulty_choices,
    latest_debrief,
)
from assistant.ui.render import inert, notice_html
from assistant.ui.resend_offer import build_resend_offer
from assistant.ui.status import warm_when_picked
from assistant.ui.turn import stop_turn, stream_turn
from assistant.ui.turn_chips import chip_last_user_line, with_chips


def metrics_line(metrics: dict[str, Any], lang: str) -> str:
    """One answer's metrics as a short line: words, ~seconds, answered directly yes/no."""
    direct = t(lang, "qa_yes" if metrics.get("direct_first_sentence") else "qa_no")
    return t(
        lang,
        "qa_metrics",
        words=metrics.get("words", 0),
        seconds=metrics.get("seconds", 0),
        direct=direct,
    )


def qa_chat(
    turns: list[Turn],
    answers: list[dict[str, Any]],
    lang: str,
    labels: dict[int, dict[str, Any]] | None = None,
) -> list[dict[str, str]]:
    """The round for the chat component; each answer gets its metrics underneath (shown only,
    never stored) and, given ``labels`` (stored per turn id), its chips. The first user turn
    is the "ready" line and has none."""
    messages = []
    user_lines = 0
    for turn in turns:
        text = inert(turn.text)
        if turn.role == "user":
            index = user_lines - 1
            user_lines += 1
            if 0 <= index < len(answers):
                text = f"{text}\n\n*{metrics_line(answers[index], lang)}*"
        elif turn.status == "interrupted":
            text = f"{text}\n\n*{t(lang, 'qa_interrupted')}*"  # stopped or cut off
        message = {"role": turn.role, "content": text}
        messages.append(with_chips(message, answer_chips((labels or {}).get(turn.id)), lang))
    return messages


def answer_chips(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """An answer's record without its numbers (the metrics line already shows them)."""
    if not record:
        return None
    return {key: value for key, value in record.items() if key not in ("words", "seconds")}


def progress_text(progress: dict[str, Any], lang: str) -> str:
    """Where the round is, as Markdown."""
    if progress["done"]:
        return f"**{t(lang, 'qa_done')}**"
    return t(lang, "qa_progress", asked=progress["asked"], questions=progress["questions"])


def build_qa_tab(ctx: PageContext, mode: PresentationQA) -> ModeTab:
    """Lay out the Q&A practice tab inside the current gr.Tabs and wire its events; returns
    how History shows one of its rounds again."""
    store, labels = ctx.services.store, ctx.labels
    lang0 = labels.lang

    def audience_choices(lang: str) -> list[tuple[str, str]]:
        return [(t(lang, f"qa_audience_{a.replace('-', '_')}"), a) for a in AUDIENCES]

    with labels.tab("tab_qa", id="qa") as tab:
        state = gr.State(None)
        build_check_in_panel(ctx, lang0, "qa", tab)
        labels.markdown("qa_intro")
        with gr.Row():
            with gr.Column(scale=3):
                notes = labels.textbox(
                    "qa_notes",
                    placeholder="qa_notes_placeholder",
                    lines=8,
                    max_lines=16,
                    elem_id="qa-notes",
                )
                upload = labels.labelled(
                    gr.File,
                    "qa_upload",
                    file_types=[".md", ".txt", ".pdf"],
                    type="filepath",
                    height=130,
                    elem_id="qa-upload",
                )
            with gr.Column(scale=2):
                audience = labels.radio(
                    "qa_audience",
                    choices=audience_choices,
                    value="sceptical-executive",
                    elem_id="qa-audience",
                )
                questions = labels.labelled(
                    gr.Slider,
                    "qa_questions",
                    minimum=1,
                    maximum=MAX_QUESTIONS,
                    value=DEFAULT_QUESTIONS,
                    step=1,
                    elem_id="qa-questions",
                )
                difficulty = labels.radio(
                    "rehearse_difficulty",
                    choices=difficulty_choices,
                    value="realistic",
                    elem_id="qa-difficulty",
                )
                start_btn = labels.button("qa_start", variant="primary", elem_id="qa-start")
        progress = gr.Markdown("", elem_id="qa-progress")
        chatbot = chat_box(labels, "qa-chat", 420)
        chips_default = ctx.services.settings.live_labels
        chips_on = labels.labelled(
            gr.Checkbox, "live_labels_toggle", value=chips_default, elem_id="qa-chips"
        )
        with gr.Row(equal_height=True):
            message = labels.textbox(
                "qa_answer",
                placeholder="message_placeholder",
                lines=2,
                elem_id="qa-message",
                scale=5,
            )
            send_btn = labels.button("send", variant="primary", elem_id="qa-send", scale=1)
            stop_btn = labels.button("stop", elem_id="qa-stop", scale=0, min_width=100)
        debrief_btn = labels.button("qa_debrief", elem_id="qa-end")
        notice = gr.HTML("", elem_id="qa-notice")
        resend = build_resend_offer(labels, "qa")  # Ollama back: send the kept answer
        debrief = gr.HTML("", elem_id="qa-debrief")
        goal_row = build_debrief_goal(ctx, lang0, "qa", state)

    def view(
        session_id: int, lang: str, chips: bool | None = None
    ) -> tuple[list[dict[str, str]], str]:
        session = ctx.load_session(session_id)
        if session is None:
            return [], ""
        state_now = mode.progress(session)
        on = chips_default if chips is None else chips
        stored = store.turn_labels(session.id) if on else None
        chat = qa_chat(store.turns(session.id), state_now["answers"], lang, stored)
        return chat, progress_text(state_now, lang)

    def read_upload(path: str | None, lang: str) -> tuple[Any, Any]:
        if not path:
            return gr.skip(), gr.skip()
        if not ctx.may_read_file(path):  # another user's cached file (issue #15)
            return gr.skip(), notice_html(t(lang, "file_not_yours"))
        try:
            text = notes_from_file(Path(path).name, Path(path).read_bytes())
        except CoachError as exc:
            return gr.skip(), notice_html(exc.message(lang))
        return text, ""

    upload.upload(read_upload, [upload, ctx.language], [notes, notice])

    def start(
        text: str, who: str, count: float, level: str, lang: str
    ) -> Iterator[tuple[Any, ...]]:
        options = {"notes": text, "audience": who, "questions": int(count), "difficulty": level}
        try:
            session = mode.start(ctx.user_id, lang, options)
            chat, shown = view(session.id, lang)
            yield session.id, chat, shown, "", "", *offer(None, lang)
            for snapshot in mode.opening(session):
                chat_now = [*chat, {"role": "assistant", "content": inert(snapshot)}]
                yield gr.skip(), chat_now, gr.skip(), "", gr.skip(), *unchanged()
        except CoachError as exc:
            yield (*(gr.skip(),) * 3, notice_html(exc.message(lang)), gr.skip(), *unchanged())
            return
        chat, shown = view(session.id, lang)
        yield gr.skip(), chat, shown, gr.skip(), gr.skip(), *unchanged()

    def picked(text: str, who: str, count: float, level: str, lang: str) -> None:
        # Read the round's prompt (as far as it is known) while the person gets ready.
        options = {"notes": text, "questions": int(count), "difficulty": level}
        mode.warm_audience(ctx.user_id, who, lang, options)

    warm_when_picked((audience,), picked, [notes, audience, questions, difficulty, ctx.language])

    limit = ctx.services.settings.chat_concurrency
    start_event = start_btn.click(
        start,
        [notes, audience, questions, difficulty, ctx.language],
        [state, chatbot, progress, notice, debrief, *goal_row.outputs],
        api_name="qa",
        concurrency_limit=limit,
    )

    def answer(
        session_id: int | None, lang: str, text: str | None, chips: bool | None
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the audience's reply to a new answer (``text``), or to the kept answer
        (None: Ollama is back), onto the chat, the box, the progress and the notice."""
        session = ctx.load_session(session_id) if session_id else None
        if session is None or session.mode != mode.name:
            yield gr.skip(), gr.skip(), gr.skip(), notice_html(t(lang, "qa_none"))
            return
        turns = store.turns(session.id)
        answers = list(session.options.get("answers", []))
        live = None
        if text is None:
            replies = mode.retry(session, turns)
        else:
            question = next((t.text for t in reversed(turns) if t.role == "assistant"), "")
            notes = split_sections(str(session.options.get("notes") or "")) or [""]
            live = answer_chips(answer_record(text, question, notes[0], lang)) if chips else None
            replies = mode.respond(session, text, turns)
        steps = stream_turn(
            replies,
            store=store,
            session_id=session.id,
            turns=turns,
            render=lambda now: qa_chat(now, answers, lang),
            lang=lang,
            user_text=text,
        )
        for step in steps:
            if step.phase in ("failed", "done"):
                chat, shown_progress = view(session.id, lang, chips)  # with the new metrics
                yield chat, step.message, shown_progress, step.notice
            else:
                chat = chip_last_user_line(step.chat, live, lang) if live else step.chat
                yield chat, step.message, gr.skip(), step.notice

    def send(
        text: str, session_id: int | None, lang: str, chips: bool = True
    ) -> Iterator[tuple[Any, ...]]:
        yield from answer(session_id, lang, text, chips)

    outputs = [chatbot, message, progress, notice]
    inputs = [message, state, ctx.language, chips_on]
    sent = [
        start_event,
        send_btn.click(send, inputs, outputs, api_name="qa_send", concurrency_limit=limit),
        message.submit(send, inputs, outputs, api_visibility="private", concurrency_limit=limit),
    ]

    def own_turns(session_id: int | None) -> list[Turn] | None:
        session = ctx.load_session(session_id)
        return store.turns(session.id) if session is not None else None

    def resend_kept(
        session_id: int | None, lang: str, chips: bool | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Answer the kept answer once Ollama is back (the offer checked it still waits),
        with the page's labels as they are set."""
        yield from answer(session_id, lang, None, chips)

    sent.append(
        resend.on_send(
            state, ctx.language, own_turns, resend_kept, outputs, limit, toggles=[chips_on]
        )
    )

    def stop(session_id: int | None, lang: str, chips: bool, shown: Any = None) -> tuple[Any, Any]:
        """End the audience's streaming question: what arrived is stored and marked."""
        if session_id is None:
            return gr.skip(), ""
        return stop_turn(
            ctx,
            mode.conversation,
            mode.name,
            session_id,
            render=lambda now: view(session_id, lang, chips)[0],
            shown=shown,
            lang=lang,
        )

    stop_btn.click(
        stop,
        [state, ctx.language, chips_on, chatbot],
        [chatbot, notice],
        cancels=[*sent],
        api_name="qa_stop",
    )
    chips_on.change(
        lambda sid, lang, on: view(sid, lang, on)[0] if sid else gr.skip(),
        [state, ctx.language, chips_on],
        [chatbot],
        api_visibility="private",
    )

    def end(session_id: int | None, lang: str) -> Iterator[Any]:
        session = ctx.load_session(session_id) if session_id else None
        if session is None or session.mode != mode.name:
            yield notice_html(t(lang, "qa_none")), gr.skip(), *offer(None, lang)
            return
        yield notice_html(t(lang, "rehearse_debrief_working"), "info"), "", *offer(None, lang)
        person = mode.persona(str(session.options.get("audience")), session.lang).name
        try:
            drafts = mode.debrief_stream(session)
            with closing(debrief_updates(drafts, session.lang, person)) as updates:
                for shown, result in updates:
                    done = result is not None
                    after = offer(result, session.lang) if done else unchanged()
                    yield "" if done else gr.skip(), shown, *after
        except CoachError as exc:
            yield notice_html(exc.message(lang)), gr.skip(), *unchanged()

    debrief_btn.click(
        end,
        [state, ctx.language],
        [notice, debrief, *goal_row.outputs],
        api_name="qa_debrief",
        concurrency_limit=limit,
    )

    def show(session_id: int, lang: str, chips: bool | None = None) -> tuple[Any, ...]:
        """The round as it was left: notes and settings, chat (as the page's chips toggle
        shows it), progress and its debrief."""
        session = ctx.load_session(session_id)
        if session is None:
            return (gr.skip(),) * 9 + unchanged()
        options = session.options
        chat, shown = view(session.id, lang, chips)
        result = latest_debrief(store, session.id)
        person = mode.persona(str(options.get("audience")), session.lang).name
        return (
            session.id,
            options.get("notes", ""),
            options.get("audience", "sceptical-executive"),
            options.get("questions", DEFAULT_QUESTIONS),
            options.get("difficulty", "realistic"),
            chat,
            shown,
            "",
            render_html(result, session.lang, person) if result else "",
            *offer(result, session.lang),
        )

    view_outputs = [
        state,
        notes,
        audience,
        questions,
        difficulty,
        chatbot,
        progress,
        notice,
        debrief,
        *goal_row.outputs,
    ]

    def connect(shell: PageShell) -> None:
        if shell.status_tick is not None:
            resend.follow(shell.status_tick, shell.status_phase, state, ctx.language, own_turns)

    return ModeTab(
        mode=mode.name,
        tab_id="qa",
        outputs=view_outputs,
        show=show,
        connect=connect,
        toggles=[chips_on],
    )
