"""The scenario builder under the Rehearse tab's scenario picker ("Build your own scenario").

The person describes the situation and the other person in plain words, the model drafts a
scenario (``assistant.scenario_builder``), they edit the fields and save it as their own; it is
then selected in the scenario picker. Scenarios can be exported and imported as files. The
Reflect tab's "prepare a hard conversation" hands over to this panel with the person's words.

Every field is a plain textbox, so HTML or script typed into it stays text.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.modes.rehearse import Rehearse
from assistant.scenario_builder import (
    FORM_FIELDS,
    MAX_FILE_CHARS,
    DraftStep,
    describe,
    draft_form_values,
    draft_messages,
    draft_scenario_steps,
    form_values,
    scenario_from_file,
    scenario_from_form,
    scenario_to_file,
)
from assistant.scenarios import Scenario, ScenarioError
from assistant.structured_stream import relay
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.render import notice_html
from assistant.warm_up import warm_drafting

# Field -> (i18n key of its label, lines, i18n key of its info or "").
_LAYOUT: dict[str, tuple[str, int, str]] = {
    "title": ("builder_title", 1, ""),
    "situation": ("builder_situation", 3, ""),
    "user_goal": ("builder_goal", 2, ""),
    "success_criteria": ("builder_criteria", 4, "builder_one_per_line"),
    "name": ("builder_name", 1, ""),
    "role": ("builder_role", 1, ""),
    "personality": ("builder_personality", 2, ""),
    "cares_about": ("builder_cares", 3, "builder_one_per_line"),
    "hidden_concerns": ("builder_hidden", 3, "builder_hidden_info"),
    "opening_line": ("builder_opening", 2, "builder_opening_info"),
}


def read_scenario_upload(path: str | Path) -> Scenario:
    """A scenario from an uploaded file; raises ScenarioError saying what is wrong with it."""
    file = Path(path)
    if file.stat().st_size > MAX_FILE_CHARS * 4:
        raise ScenarioError(
            "scenario_file_invalid",
            "The file is too large to be a scenario.",
            "Filen er for stor til at være et scenarie.",
        )
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            "scenario_file_invalid",
            "The file is not a text file (UTF-8). Export a scenario here and import that file.",
            "Filen er ikke en tekstfil (UTF-8). Eksportér et scenarie her, og importér den fil.",
        ) from exc
    return scenario_from_file(text)


def scenario_options(scenarios: list[Scenario], lang: str) -> list[tuple[str, str]]:
    """The scenario picker's choices; the user's own scenarios are marked as theirs."""
    return [
        (s.title if s.builtin else t(lang, "builder_own", title=s.title), s.id) for s in scenarios
    ]


def export_file_name(scenario: Scenario) -> str:
    """The download's file name, like the built-in files: ``<id>.<lang>.md``."""
    return f"{scenario.id}.{scenario.lang}.md"


@dataclass
class ScenarioPanel:
    """The builder's components and the handover entry point used by the page shell."""

    accordion: gr.Accordion
    situation_words: gr.Textbox
    counterpart_words: gr.Textbox
    fields: list[gr.Textbox]
    base: gr.State
    notice: gr.HTML
    draft_notice: gr.HTML
    draft_button: gr.Button
    prefill: Callable[[str, str, str], Iterator[tuple[Any, ...]]]

    @property
    def prefill_outputs(self) -> list[Any]:
        """What ``prefill`` updates, in order."""
        return [
            self.accordion,
            self.situation_words,
            self.counterpart_words,
            *self.fields,
            self.base,
            self.notice,
            self.draft_notice,
            self.draft_button,
        ]


def build_scenario_panel(
    ctx: PageContext, lang0: str, mode: Rehearse, picker: gr.Dropdown
) -> ScenarioPanel:
    """Lay out the builder (an accordion) and wire it; ``picker`` is the scenario dropdown."""
    labels = ctx.labels

    with labels.accordion("builder_accordion", open=False, elem_id="builder") as accordion:
        labels.markdown("builder_intro")
        with gr.Row():
            situation_words = labels.textbox(
                "builder_words_situation",
                placeholder="builder_words_situation_ph",
                lines=4,
                elem_id="builder-words-situation",
            )
            counterpart_words = labels.textbox(
                "builder_words_counterpart",
                placeholder="builder_words_counterpart_ph",
                lines=4,
                elem_id="builder-words-counterpart",
            )
        draft_btn = labels.button("builder_draft", variant="primary", elem_id="builder-draft")
        # Drafting messages sit under the Draft button; the rest under the whole builder.
        draft_notice = gr.HTML("", elem_id="builder-draft-notice")
        labels.markdown("builder_fields_intro")
        boxes: dict[str, gr.Textbox] = {}

        def field(name: str, **extra: Any) -> None:
            key, lines, info = _LAYOUT[name]
            elem_id = "builder-" + name.replace("_", "-")
            boxes[name] = labels.textbox(
                key, info=info or None, lines=lines, elem_id=elem_id, **extra
            )

        field("title")
        field("situation")
        field("user_goal")
        field("success_criteria")
        with gr.Row():
            field("name", scale=1)
            field("role", scale=2)
        field("personality")
        with gr.Row():
            field("cares_about")
            field("hidden_concerns")
        field("opening_line")
        with gr.Row():
            save_btn = labels.button("builder_save", variant="primary", elem_id="builder-save")
            load_btn = labels.button("builder_load", elem_id="builder-load")
            export_btn = labels.button("builder_export", elem_id="builder-export")
        with gr.Row():
            exported = labels.labelled(
                gr.File,
                "builder_export_file",
                interactive=False,
                visible=False,
                height=100,
                elem_id="builder-export-file",
            )
            upload = labels.labelled(
                gr.File,
                "builder_import",
                file_types=[".md", ".txt", ".yaml", ".yml"],
                type="filepath",
                height=100,
                elem_id="builder-import",
            )
    notice = gr.HTML("", elem_id="builder-notice")
    base = gr.State(None)
    fields = [boxes[name] for name in FORM_FIELDS]

    # --- helpers ------------------------------------------------------------------------------

    def as_base(data: dict[str, Any] | None) -> Scenario | None:
        return Scenario.model_validate(data) if data else None

    def filled(scenario: Scenario) -> tuple[Any, ...]:
        """The form fields and the base state for a scenario."""
        values = form_values(scenario)
        return (*(values[name] for name in FORM_FIELDS), scenario.model_dump())

    def from_form(texts: tuple[str, ...], data: dict[str, Any] | None, lang: str) -> Scenario:
        values = dict(zip(FORM_FIELDS, texts, strict=True))
        builtin_ids = {s.id for s in mode.scenarios.builtin(lang)}
        return scenario_from_form(values, lang, as_base(data), builtin_ids)

    def drafted(
        situation: str,
        counterpart: str,
        lang: str,
        show: Callable[[DraftStep, tuple[Any, ...]], tuple[Any, ...]],
    ) -> Generator[tuple[Any, ...], None, Scenario]:
        """Draft with the model, streamed: ``show(step, field_updates)`` for each chunk,
        where the updates fill each form field as soon as the model has finished it; a
        cancelled event (the page closed) closes this generator and ends the request."""
        services = ctx.services
        steps = draft_scenario_steps(
            describe(situation, counterpart, lang),
            lang,
            services.conversation.chat_model,
            services.prompts,
            warm_up=services.conversation.warm_up,
        )
        shown: set[str] = set()
        finished = [0]  # draft fields shown so far

        def fields_so_far(step: DraftStep) -> tuple[Any, ...]:
            values = draft_form_values(step.fields)
            new = {name: text for name, text in values.items() if name not in shown}
            shown.update(new)
            finished[0] = len(step.fields)
            return tuple(new.get(name, gr.skip()) for name in FORM_FIELDS)

        return (
            yield from relay(
                steps,
                lambda step: show(step, fields_so_far(step)),
                news=lambda step: len(step.fields) != finished[0],
            )
        )

    def progress(step: DraftStep, lang: str) -> str:
        said = t(
            lang,
            "builder_fields_progress",
            count=len(step.fields),
            total=step.total,
            chars=step.chars,
        )
        return notice_html(said, "info")

    def opened(lang: str) -> None:
        # The builder opened: read the drafting prompt while the person describes it.
        prefix = draft_messages(None, lang, ctx.services.prompts)
        warm_drafting(ctx.services.conversation.warm_up, prefix, ctx.user_id)

    accordion.expand(
        opened,
        [ctx.language],
        None,
        queue=False,
        show_progress="hidden",
        api_visibility="private",
    )

    # --- events -------------------------------------------------------------------------------

    blank = ("",) * len(FORM_FIELDS)

    def draft(situation: str, counterpart: str, lang: str) -> Iterator[tuple[Any, ...]]:
        skips = (gr.skip(),) * (len(FORM_FIELDS) + 1)
        try:
            describe(situation, counterpart, lang)
        except CoachError as exc:
            yield (*skips, notice_html(exc.message(lang)), gr.skip())
            return
        working = notice_html(t(lang, "builder_drafting"), "info")
        yield (*skips, working, gr.Button(interactive=False))

        def show(step: DraftStep, updates: tuple[Any, ...]) -> tuple[Any, ...]:
            return (*updates, gr.skip(), progress(step, lang), gr.skip())

        try:
            scenario = yield from drafted(situation, counterpart, lang, show)
        except CoachError as exc:
            failed = notice_html(exc.message(lang) + " " + t(lang, "builder_draft_failed"))
            yield (*skips, failed, gr.Button(interactive=True))
            return
        done = notice_html(t(lang, "builder_drafted"), "info")
        yield (*filled(scenario), done, gr.Button(interactive=True))

    draft_btn.click(
        draft,
        [situation_words, counterpart_words, ctx.language],
        [*fields, base, draft_notice, draft_btn],
        api_name="draft_scenario",
        concurrency_limit=ctx.services.settings.chat_concurrency,
    )

    def save(*args: Any) -> tuple[Any, ...]:
        *texts, data, lang = args
        try:
            scenario = mode.scenarios.save(ctx.user_id, from_form(tuple(texts), data, lang))
        except CoachError as exc:
            return gr.skip(), gr.skip(), gr.skip(), notice_html(exc.message(lang)), gr.skip()
        choices = scenario_options(mode.scenarios.all(lang, ctx.user_id), lang)
        saved = notice_html(t(lang, "builder_saved", title=scenario.title), "info")
        return (
            gr.Dropdown(choices=choices, value=scenario.id),
            scenario.model_dump(),
            gr.Accordion(open=False),
            saved,
            "",
        )

    save_btn.click(
        save,
        [*fields, base, ctx.language],
        [picker, base, accordion, notice, draft_notice],
        api_name="save_scenario",
    )

    def load_selected(scenario_id: str | None, lang: str) -> tuple[Any, ...]:
        found = [s for s in mode.scenarios.all(lang, ctx.user_id) if s.id == scenario_id]
        if not found:
            return (*(gr.skip(),) * (len(FORM_FIELDS) + 1), notice_html(t(lang, "builder_pick")))
        return (*filled(found[0]), notice_html(t(lang, "builder_loaded"), "info"))

    load_btn.click(load_selected, [picker, ctx.language], [*fields, base, notice])

    def export(*args: Any) -> tuple[Any, Any]:
        *texts, data, lang = args
        try:
            scenario = from_form(tuple(texts), data, lang)
        except CoachError as exc:
            return gr.File(value=None, visible=False), notice_html(exc.message(lang))
        path = ctx.write_download(export_file_name(scenario), scenario_to_file(scenario))
        return gr.File(value=path, visible=True), notice_html(t(lang, "builder_exported"), "info")

    export_btn.click(
        export, [*fields, base, ctx.language], [exported, notice], api_name="export_scenario"
    )

    def import_file(path: str | None, lang: str) -> tuple[Any, ...]:
        if not path:
            return (gr.skip(),) * (len(FORM_FIELDS) + 2)
        if not ctx.may_read_file(path):  # another user's cached file
            return (*(gr.skip(),) * (len(FORM_FIELDS) + 1), notice_html(t(lang, "file_not_yours")))
        try:
            scenario = read_scenario_upload(path)
        except (CoachError, OSError) as exc:
            message = exc.message(lang) if isinstance(exc, CoachError) else str(exc)
            return (*(gr.skip(),) * (len(FORM_FIELDS) + 1), notice_html(message))
        info = notice_html(t(lang, "builder_imported", title=scenario.title), "info")
        return (*filled(scenario), info)

    upload.upload(import_file, [upload, ctx.language], [*fields, base, notice])

    def prefill(situation: str, counterpart: str, lang: str) -> Iterator[tuple[Any, ...]]:
        """Open the builder with the person's own words, then try a model draft from them;
        when the model is unreachable the words stay, with a message saying what to do.

        Yields updates for ``ScenarioPanel.prefill_outputs``.
        """
        opened, skip = gr.Accordion(open=True), gr.skip()
        if not (situation.strip() or counterpart.strip()):
            empty = notice_html(t(lang, "builder_handover_empty"), "info")
            yield opened, situation, counterpart, *blank, None, "", empty, skip
            return
        working = notice_html(t(lang, "builder_handover_drafting"), "info")
        busy = gr.Button(interactive=False)
        yield opened, situation, counterpart, *blank, None, "", working, busy
        keep = (skip,) * (3 + len(blank) + 2)

        def show(step: DraftStep, updates: tuple[Any, ...]) -> tuple[Any, ...]:
            return (skip, skip, skip, *updates, skip, skip, progress(step, lang), skip)

        try:
            scenario = yield from drafted(situation, counterpart, lang, show)
        except CoachError as exc:
            fallback = notice_html(exc.message(lang) + " " + t(lang, "builder_handover_failed"))
            yield (*keep, fallback, gr.Button(interactive=True))
            return
        done = notice_html(t(lang, "builder_drafted"), "info")
        yield (skip, skip, skip, *filled(scenario), skip, done, gr.Button(interactive=True))

    return ScenarioPanel(
        accordion=accordion,
        situation_words=situation_words,
        counterpart_words=counterpart_words,
        fields=fields,
        base=base,
        notice=notice,
        draft_notice=draft_notice,
        draft_button=draft_btn,
        prefill=prefill,
    )
