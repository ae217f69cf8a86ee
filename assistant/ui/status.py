"""The Ollama status banner and the model download, as plain functions the page calls."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.llm import OllamaService, OllamaStatus
from assistant.ui.i18n import t
from assistant.ui.render import banner_html, human_bytes, progress_html
from assistant.warm_up import WarmUp, WarmUpProgress, warm_mode_head

# How often the banner re-checks Ollama on its own while a page is open: often while Ollama
# is not ready (the page then notices it come back), rarely once it is (it may go away).
RECHECK_WHILE_DOWN = 5.0
RECHECK_WHILE_READY = 30.0


def watch_phase(previous: str | None, ready: bool) -> str:
    """The status watch after one check: "down" (not ready), "back" (the first check of
    this page that finds it ready: the moment to offer words whose reply failed while it was
    not; the page's first look is not a watch check) or "ready" (ready before already)."""
    if not ready:
        return "down"
    return "ready" if previous in ("back", "ready") else "back"


def recheck_interval(phase: str) -> float:
    """Seconds until the next check in this phase."""
    return RECHECK_WHILE_DOWN if phase == "down" else RECHECK_WHILE_READY


def banner_for(status: OllamaStatus, lang: str) -> tuple[str, bool]:
    """The banner's HTML and whether the Download button should show."""
    if not status.reachable:
        error = status.error or CoachError("ollama_unreachable", "", "")
        return banner_html(error.message(lang), "error"), False
    values = {"version": status.version or "?", "host": status.host, "model": status.model}
    if not status.model_installed:
        return banner_html(t(lang, "status_model_missing", **values), "warn"), True
    return banner_html(t(lang, "status_ready", **values), "ok"), False


def pull_steps(ollama: OllamaService, lang: str) -> Iterator[tuple[str, bool]]:
    """Download the configured model; yields (progress HTML, finished) as bytes arrive.

    Raises ``CoachError`` when the download fails.
    """
    model = ollama.settings.model
    for step in ollama.pull():
        if step.done:
            yield progress_html(t(lang, "pull_done", model=model), 1.0), True
            return
        if step.total:
            label = t(
                lang,
                "pull_progress",
                status=step.status,
                done=human_bytes(step.completed),
                total=human_bytes(step.total),
                percent=round(step.fraction * 100),
            )
        else:
            label = t(lang, "pull_status", status=step.status)
        yield progress_html(label, step.fraction), False


# A cold load of a 4B model on a laptop CPU takes seconds; the bar fills over this many
# (an estimate: Ollama does not report loading progress), then waits at 95 %.
EXPECTED_WARM_UP_SECONDS = 12.0


def warm_up_notice(progress: WarmUpProgress | None, lang: str, now: float | None = None) -> str:
    """The notice while the model loads or reads a new session's prompt ("" otherwise)."""
    if progress is None or not progress.running:
        return ""
    seconds = progress.seconds(now)
    key = "warm_up_loading" if progress.phase == "loading" else "warm_up_reading"
    fraction = min(0.95, seconds / EXPECTED_WARM_UP_SECONDS)
    return progress_html(t(lang, key, seconds=round(seconds)), fraction).replace(
        'id="pull-progress"', 'id="warm-up-progress"'
    )


def build_warm_up_notice(
    demo: gr.Blocks,
    warm_up: WarmUp | None,
    user_id: Callable[[], int | None],
    language: gr.Radio,
) -> None:
    """A notice under the status banner, refreshed every second while a warm-up runs; the
    same tick keeps the model loaded while the page is open (``WarmUp.keep_resident``), and
    closing the page abandons the person's warm-up.

    ``user_id`` gives the event's person (PageContext.user_id_or_none).
    """
    if warm_up is None:
        return
    notice = gr.HTML("", elem_id="warm-up")
    timer = gr.Timer(1.0)

    def refresh(lang: str) -> str:
        warm_up.keep_resident()  # the page is open: keep the model loaded
        owner = user_id()
        return warm_up_notice(warm_up.progress(owner), lang) if owner is not None else ""

    timer.tick(refresh, [language], [notice], show_progress="hidden", queue=False)

    def leave() -> None:
        # The person closed or reloaded the page: their warm-up is of no use any more.
        try:
            owner = user_id()
        except Exception:  # no request to tell who left (sign-in on): nothing to abandon
            return
        if owner is not None:
            warm_up.abandon(owner)

    demo.unload(leave)


def selected_mode(data: Any, order: Sequence[str]) -> str | None:
    """The mode whose tab a ``Tabs.select`` event selected: the tab's id (a mode tab's id is
    its mode's name), else its index among the mode tabs (they come first, in this order)."""
    raw = getattr(data, "_data", None) or {}
    tab_id = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(tab_id, str) and tab_id in order:
        return tab_id
    index = getattr(data, "index", None)
    if isinstance(index, int) and 0 <= index < len(order):
        return order[index]
    return None


def build_head_warm_up(
    demo: gr.Blocks,
    tabs: gr.Tabs,
    warm_up: WarmUp | None,
    modes: Mapping[str, Any],
    order: Sequence[str],
    user_id: Callable[[], int | None],
    language: gr.Radio,
) -> None:
    """Load the model and read the shown mode's prompt head as soon as a page opens (the
    first mode tab in ``order``), and another mode's head when its tab is selected, so a
    session's start leaves only its own part to read (``warm_up.warm_mode_head``; it skips
    what is cached and never runs behind a real reply). Nothing without a warm-up (off, or
    an Ollama pool)."""
    if warm_up is None or not order:
        return

    def warm(name: str | None, lang: str) -> None:
        try:
            owner = user_id()
        except Exception:  # no signed-in user yet: the page shows the sign-in first
            return
        if owner is not None and name is not None and name in modes:
            warm_mode_head(warm_up, modes[name], lang, owner)

    def opened(lang: str) -> None:
        warm(order[0], lang)

    def selected(lang: str, evt: gr.SelectData) -> None:
        warm(selected_mode(evt, order), lang)

    demo.load(opened, [language], None, queue=False, show_progress="hidden")
    tabs.select(
        selected, [language], None, queue=False, show_progress="hidden", api_visibility="private"
    )


def warm_when_picked(
    controls: Sequence[Any], warm: Callable[..., Any], inputs: Sequence[Any]
) -> None:
    """Call ``warm(*inputs)`` when the person picks in one of ``controls`` (a scenario, a
    difficulty, an audience), so its prompt is read while they read and type. Outside the
    queue and without a spinner: it only starts a background warm-up and shows nothing."""
    for control in controls:
        control.input(
            warm,
            list(inputs),
            None,
            queue=False,
            show_progress="hidden",
            api_visibility="private",
        )
