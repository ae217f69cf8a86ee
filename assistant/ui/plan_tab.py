"""The Plan tab: questions for a coaching session, by stage and with timing, to download or copy.

The handler is thin: it builds the plan from the question bank (``assistant.planner``), lets the
model tailor it when asked, and shows which of the two produced it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.planner import (
    RELATIONSHIPS,
    QuestionBank,
    SessionPlan,
    TailoringStep,
    build_plan,
    plan_file_name,
    plan_messages,
    plan_to_markdown,
    relationship_label,
    tailor_plan_steps,
    tailoring_head,
)
from assistant.structured_stream import relay
from assistant.ui.context import PageContext
from assistant.ui.i18n import STRINGS, t
from assistant.ui.render import notice_html
from assistant.ui.status import warm_when_picked
from assistant.warm_up import warm_tailoring

MINUTE_CHOICES = (15, 30, 60)

# Copies the plan's Markdown; falls back to a hidden textarea where the Clipboard API is missing
# (pages served over plain http on another address than localhost).
_COPY_JS = """
(text, lang) => {
  const value = text || "";
  const copied = COPIED_LABELS;
  const fallback = () => {
    const area = document.createElement("textarea");
    area.value = value;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(value).catch(fallback);
  } else {
    fallback();
  }
  const button = document.querySelector("#plan-copy");
  if (button && value) {
    const label = button.textContent;
    button.textContent = copied[lang] || copied.en;
    setTimeout(() => { button.textContent = label; }, 1500);
  }
}
""".replace(
    "COPIED_LABELS", json.dumps({lang: table["planner_copied"] for lang, table in STRINGS.items()})
)


def _relationship_choices(lang: str) -> list[tuple[str, str]]:
    return [(relationship_label(r, lang), r) for r in RELATIONSHIPS]


def _minute_choices(lang: str) -> list[tuple[str, int]]:
    return [(t(lang, "planner_minutes_choice", n=n), n) for n in MINUTE_CHOICES]


def source_notice(plan: SessionPlan, lang: str) -> str:
    """The line saying whether the model tailored the plan or the question bank alone made it."""
    if plan.source == "model":
        said = t(
            lang,
            "planner_source_model",
            model=plan.model or "?",
            count=plan.tailored,
            total=len(plan.questions),
        )
        return notice_html(said, "info")
    if plan.notice is not None:
        reason = plan.notice.message(lang)
        return notice_html(t(lang, "planner_source_fallback", reason=reason), "error")
    return notice_html(t(lang, "planner_source_bank"), "info")


def save_markdown(plan: SessionPlan, ctx: PageContext) -> str:
    """Write the plan's Markdown for the download button, in the user's own folder of
    Gradio's cache (a plan holds the user's topic: served to that user only)."""
    return ctx.write_download(plan_file_name(plan), plan_to_markdown(plan))


def build_plan_tab(ctx: PageContext, lang0: str) -> None:
    """Lay out the Plan tab inside the current gr.Tabs and wire its events."""
    services, labels = ctx.services, ctx.labels
    banks: list[QuestionBank] = []

    def question_bank() -> QuestionBank:
        # Built once from the library's entries (already parsed for the other tabs).
        if not banks:
            banks.append(QuestionBank.from_entries(services.library.entries()))
        return banks[0]

    with labels.tab("tab_plan", id="plan", elem_id="plan-tab") as plan_tab:
        labels.markdown("planner_intro", elem_id="plan-intro")
        topic = labels.textbox(
            "planner_topic_label",
            placeholder="planner_topic_placeholder",
            lines=2,
            max_lines=6,
            elem_id="plan-topic",
        )
        with gr.Row(equal_height=True):
            relationship = labels.radio(
                "planner_relationship_label",
                choices=_relationship_choices,
                value=RELATIONSHIPS[0],
                elem_id="plan-relationship",
                scale=3,
            )
            minutes = labels.radio(
                "planner_minutes_label",
                choices=_minute_choices,
                value=30,
                elem_id="plan-minutes",
                scale=2,
                min_width=300,
            )
        with gr.Row(equal_height=True):
            use_model = labels.labelled(
                gr.Checkbox,
                "planner_use_model",
                info="planner_use_model_info",
                value=True,
                elem_id="plan-use-model",
                scale=3,
            )
            generate_btn = labels.button(
                "planner_generate",
                variant="primary",
                elem_id="plan-generate",
                scale=1,
                min_width=180,
            )
        with gr.Row(equal_height=False):
            source = gr.HTML("", elem_id="plan-source")
            download_btn = labels.text(
                gr.DownloadButton,
                "planner_download",
                interactive=False,
                size="sm",
                scale=0,
                min_width=150,
                elem_id="plan-download",
            )
            copy_btn = labels.button(
                "planner_copy",
                interactive=False,
                size="sm",
                scale=0,
                min_width=150,
                elem_id="plan-copy",
            )
        plan_view = gr.Markdown("", elem_id="plan-output", container=True, padding=True)

    def generate(
        text: str, relation: str, length: int, tailor: bool, lang: str
    ) -> Iterator[tuple[Any, ...]]:
        lang = "da" if lang == "da" else "en"
        if not (text or "").strip():
            yield notice_html(t(lang, "planner_empty_topic")), gr.skip(), gr.skip(), gr.skip()
            return
        try:
            plan = build_plan(text, lang, relation, int(length), question_bank())
        except CoachError as exc:
            yield notice_html(exc.message(lang)), gr.skip(), gr.skip(), gr.skip()
            return
        if tailor:
            settings = services.settings
            # Show the question-bank plan at once; a model on a laptop can take a while.
            working = notice_html(t(lang, "planner_working", model=settings.model), "info")
            idle = gr.DownloadButton(value=None, interactive=False)
            yield working, plan_to_markdown(plan), idle, gr.Button(interactive=False)
            steps = tailor_plan_steps(
                plan,
                services.conversation.chat_model,
                services.prompts,
                host=settings.ollama_host,
                model=settings.model,
                warm_up=services.conversation.warm_up,
            )
            shown = [-1]

            def progress(step: TailoringStep) -> tuple[Any, ...]:
                said = t(
                    lang,
                    "planner_tailoring",
                    model=settings.model,
                    count=step.tailored,
                    total=step.total,
                    chars=step.chars,
                )
                # Each question is shown as soon as it is tailored; between questions only
                # the progress line changes.
                view = gr.skip() if step.tailored == shown[0] else plan_to_markdown(step.plan)
                shown[0] = step.tailored
                return notice_html(said, "info"), view, gr.skip(), gr.skip()

            # Streamed: a cancelled event (the page closed) ends the model's request too.
            plan = yield from relay(steps, progress, news=lambda step: step.tailored != shown[0])
        yield (
            source_notice(plan, lang),
            plan_to_markdown(plan),
            gr.DownloadButton(value=save_markdown(plan, ctx), interactive=True),
            gr.Button(interactive=True),
        )

    generate_btn.click(
        generate,
        [topic, relationship, minutes, use_model, ctx.language],
        [source, plan_view, download_btn, copy_btn],
        api_name="plan",
        concurrency_limit=services.settings.chat_concurrency,
    )
    copy_btn.click(None, [plan_view, ctx.language], None, js=_COPY_JS)

    def filled(text: str, relation: str, length: int, tailor: bool, lang: str) -> None:
        # The inputs are filled: read the tailoring request while the person looks it over.
        if not tailor or not (text or "").strip():
            return
        lang = "da" if lang == "da" else "en"
        try:
            plan = build_plan(text, lang, relation, int(length), question_bank())
        except CoachError:
            return  # the click will say what is wrong
        request = plan_messages(plan, services.prompts)
        warm_tailoring(services.conversation.warm_up, request, ctx.user_id)

    def opened(lang: str) -> None:
        # The tab opened: load the model and read the tailoring instructions meanwhile.
        head = tailoring_head("da" if lang == "da" else "en", services.prompts)
        warm_tailoring(services.conversation.warm_up, head, ctx.user_id)

    quiet: dict[str, Any] = {"queue": False, "show_progress": "hidden", "api_visibility": "private"}
    plan_tab.select(opened, [ctx.language], None, **quiet)
    inputs = [topic, relationship, minutes, use_model, ctx.language]
    warm_when_picked((relationship, minutes, use_model), filled, inputs)
    topic.blur(filled, inputs, None, **quiet)
