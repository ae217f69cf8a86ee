""" "Analyse a conversation" in the Practice coaching tab: paste or upload a real conversation,
pick which speaker is you, see your lines labelled and counted, a computed debrief, and hand
it to the Rehearse tab's scenario builder ("Practise this conversation").

Handlers stay thin: parsing, analysing and storing are ``assistant.analysis``'s; the page
never sends the text anywhere but this machine's database (and, on "Practise", to the local
model that drafts the scenario).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.analysis import (
    ANALYSE,
    ConversationAnalyser,
    ConversationAnalysis,
    StoredAnalysis,
    TranscriptError,
    conversation_debrief,
    read_transcript_file,
    scenario_words,
)
from assistant.analysis.debrief import ConversationDebrief, strategy_title
from assistant.analysis.report import LabelsOf
from assistant.modes.practice import SkillReport
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.mode_tab import ModeTab, PageShell
from assistant.ui.render import notice_html

RenderCounts = Callable[[SkillReport, str], str]


def label_name(label: str, lang: str) -> str:
    """A skill label's name, or a feedback move's (its own strings when it has them)."""
    for key in ("label_" + label, "chip_" + label):
        try:
            return t(lang, key)
        except KeyError:
            continue
    return label.replace("_", " ")


def lines_html(analysis: ConversationAnalysis, lang: str) -> str:
    """The conversation line by line, your lines with their labels as chips."""
    rows = []
    for line in analysis.lines:
        chips = "".join(
            f'<span class="skill-chip skill-{html.escape(label)}">'
            f"{html.escape(label_name(label, lang))}</span>"
            for label in line.labels
        )
        who = html.escape(line.speaker)
        mine = " analyse-mine" if line.mine else ""
        rows.append(
            f'<li class="analyse-line{mine}"><b>{who}:</b> {html.escape(line.text)}'
            f"{'<div>' + chips + '</div>' if chips else ''}</li>"
        )
    title = html.escape(t(lang, "analyse_lines_title"))
    return f'<div id="analyse-lines"><h4>{title}</h4><ul>{"".join(rows)}</ul></div>'


def debrief_html(debrief: ConversationDebrief, lang: str) -> str:
    """The computed debrief: quotes of what worked, the line to try again, strategies."""
    parts = [f"<h4>{html.escape(t(lang, 'analyse_debrief_title'))}</h4>"]

    def quoted(text: str, label: str) -> str:
        name = html.escape(label_name(label, lang))
        return f"<li>“{html.escape(text)}” <i>({name})</i></li>"

    if debrief.strengths:
        items = "".join(quoted(q.text, q.label) for q in debrief.strengths)
        parts.append(f"<p><b>{html.escape(t(lang, 'analyse_strengths'))}</b></p><ul>{items}</ul>")
    growth = debrief.growth
    if growth is not None or debrief.tip:
        item = f"<ul>{quoted(growth.text, growth.label)}</ul>" if growth else ""
        parts.append(
            f"<p><b>{html.escape(t(lang, 'analyse_try_next'))}</b></p>{item}"
            f'<p class="analyse-tip">{html.escape(debrief.tip)}</p>'
        )
    if debrief.strategies:
        named = "; ".join(html.escape(strategy_title(s, lang)) for s in debrief.strategies)
        parts.append(f"<p>{html.escape(t(lang, 'analyse_read_more'))} {named}</p>")
    return f'<div id="analyse-debrief-box">{"".join(parts)}</div>'


@dataclass
class AnalysePanel:
    """How the section wires the hand-over to the scenario builder, and its view of a stored
    analysis (for History's Resume, in the tab that holds the section)."""

    connect: Callable[[PageShell], None]
    view: ModeTab


def build_analyse_panel(
    ctx: PageContext,
    tab_id: str,
    render_counts: RenderCounts,
    labels_of: LabelsOf | None = None,
) -> AnalysePanel:
    """Lay out the section (an accordion) where it is called, in the tab ``tab_id``, and wire
    its events; ``render_counts`` draws the counts the way the Practice tab does."""
    labels, services = ctx.labels, ctx.services
    analyser = ConversationAnalyser(services.store, services.settings.max_message_chars)
    if labels_of is not None:  # else the analyser's own (the feedback moves, once plugged in)
        analyser.labels_of = labels_of

    with labels.accordion("analyse_accordion", open=False, elem_id="analyse") as accordion:
        labels.markdown("analyse_intro")
        state = gr.State(None)
        # (text, speaker) of the analysis last resumed from History. Gradio keeps a State on
        # the server, set before the page gets the resumed text, so the box's change event
        # that follows reads it, while the picker's value it sends may still be the old one.
        resumed = gr.State(None)
        with gr.Row():
            text = labels.textbox(
                "analyse_text",
                placeholder="analyse_text_ph",
                lines=8,
                max_lines=20,
                elem_id="analyse-text",
                scale=3,
            )
            upload = labels.labelled(
                gr.File,
                "analyse_upload",
                file_types=[".txt", ".md"],
                type="filepath",
                height=120,
                elem_id="analyse-upload",
                scale=1,
            )
        with gr.Row(equal_height=True):
            # Its choices come from the text (``speakers``), so a re-label leaves them be.
            me = labels.dropdown("analyse_me", value=None, elem_id="analyse-me", scale=2)
            analyse_btn = labels.button(
                "analyse_button", variant="primary", elem_id="analyse-go", scale=1
            )
        # What the text holds (its lines and speakers), apart from the Analyse button's notice:
        # the box's change event and the button's click run concurrently, so one shared
        # element would show whichever answered last.
        found = gr.HTML("", elem_id="analyse-found")
        notice = gr.HTML("", elem_id="analyse-notice")
        counts = gr.HTML("", elem_id="analyse-counts")
        lines = gr.HTML("", elem_id="analyse-lines-box")
        debrief = gr.HTML("", elem_id="analyse-debrief")
        practise_btn = labels.button("analyse_practise", elem_id="analyse-practise", visible=False)

    def speakers(pasted: str, lang: str, chosen: str | None = None, quiet: bool = True) -> Any:
        """Fill the speaker picker from the text, keeping the speaker ``chosen`` when they are
        still in it; while typing, say nothing until it can be read (``quiet``), else say what
        is wrong with it."""
        try:
            transcript = analyser.parse(pasted, lang)
        except TranscriptError as exc:
            return gr.Dropdown(choices=[], value=None), "" if quiet else notice_html(
                exc.message(lang)
            )
        names = transcript.speakers
        said = t(lang, "analyse_speakers_found", n=len(transcript.lines), speakers=", ".join(names))
        value = chosen if chosen in names else names[0]
        return gr.Dropdown(choices=names, value=value), notice_html(said, "info")

    def retyped(
        pasted: str, chosen: str | None, was: tuple[str, str] | None, lang: str
    ) -> tuple[Any, Any]:
        if was is not None and was[0] == pasted:  # the resumed text, not yet edited
            chosen = was[1]
        return speakers(pasted, lang, chosen)

    # Also after a resumed analysis fills the box: its speaker is kept.
    text.change(retyped, [text, me, resumed, ctx.language], [me, found], api_visibility="private")

    def uploaded(path: str | None, lang: str) -> tuple[Any, Any, Any]:
        """The file's text in the box (to read and edit) and its speakers in the picker."""
        if not path:
            return gr.skip(), gr.skip(), gr.skip()
        try:
            read = read_transcript_file(path, services.settings.max_message_chars)
        except TranscriptError as exc:
            return gr.skip(), gr.skip(), notice_html(exc.message(lang))
        except OSError as exc:
            return gr.skip(), gr.skip(), notice_html(str(exc))
        return (read, *speakers(read, lang, quiet=False))

    upload.upload(uploaded, [upload, ctx.language], [text, me, found], api_visibility="private")

    def shown(stored: StoredAnalysis, lang: str) -> tuple[Any, ...]:
        analysis = stored.analysis
        report = SkillReport(counts=analysis.counts, units=analysis.units, verdict=analysis.verdict)
        stored_note = notice_html(t(lang, "analyse_stored", id=stored.session.id), "info")
        return (
            stored.session.id,
            stored_note,
            render_counts(report, lang),
            lines_html(analysis, lang),
            debrief_html(conversation_debrief(analysis), lang),
            gr.Button(visible=True),
        )

    def analyse(pasted: str, speaker: str | None, lang: str) -> tuple[Any, ...]:
        if not speaker and pasted.strip():
            try:
                analyser.parse(pasted, lang)
            except TranscriptError as exc:
                return gr.skip(), notice_html(exc.message(lang)), *(gr.skip(),) * 4
            return gr.skip(), notice_html(t(lang, "analyse_pick_me")), *(gr.skip(),) * 4
        try:
            stored = analyser.analyse(ctx.user_id, pasted, lang, speaker or "")
        except TranscriptError as exc:
            return gr.skip(), notice_html(exc.message(lang)), *(gr.skip(),) * 4
        return shown(stored, lang)

    analyse_btn.click(
        analyse,
        [text, me, ctx.language],
        [state, notice, counts, lines, debrief, practise_btn],
        api_name="analyse_conversation",
    )

    def connect(shell: PageShell) -> None:
        """Wire "Practise this conversation" to the tab that takes words over (Rehearse)."""
        target = next((v for v in shell.views.values() if v.takes_over), None)
        if target is None or target.takes_over is None:
            return
        handover = target.takes_over

        def practise(session_id: int | None, lang: str) -> Iterator[tuple[Any, ...]]:
            """Switch to Rehearse with its builder drafting a scenario from the conversation."""
            stored = analyser.load(ctx.user_id, session_id) if session_id else None
            if stored is None:
                missing = notice_html(t(lang, "analyse_first"))
                yield (gr.skip(), missing, *(gr.skip(),) * len(handover.outputs))
                return
            situation, counterpart = scenario_words(stored.analysis)
            selected: Any = gr.Tabs(selected=target.tab_id)
            for update in handover.prefill(situation, counterpart, stored.session.lang):
                yield (selected, gr.skip(), *update)
                selected = gr.skip()

        practise_btn.click(
            practise,
            [state, ctx.language],
            [shell.tabs, notice, *handover.outputs],
            api_visibility="private",
            concurrency_limit=services.settings.chat_concurrency,
        )

    def show(session_id: int, lang: str) -> tuple[Any, ...]:
        """A stored analysis as it was made: the section open, the text, you, the results."""
        stored = analyser.load(ctx.user_id, session_id)
        if stored is None:
            return (gr.skip(),) * len(view_outputs)
        speakers = [line.speaker for line in stored.analysis.lines]
        names = list(dict.fromkeys(speakers))
        return (
            gr.Accordion(open=True),
            (stored.text, stored.analysis.me),
            stored.text,
            gr.Dropdown(choices=names, value=stored.analysis.me),
            *shown(stored, stored.session.lang),
        )

    view_outputs = [
        accordion,
        resumed,
        text,
        me,
        state,
        notice,
        counts,
        lines,
        debrief,
        practise_btn,
    ]
    view = ModeTab(mode=ANALYSE, tab_id=tab_id, outputs=view_outputs, show=show)
    return AnalysePanel(connect=connect, view=view)
