"""The Ollama status banner and the model download, as plain functions the page calls."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.errors import CoachError
from assistant.llm import OllamaService, OllamaStatus
from assistant.ui.i18n import t
from assistant.ui.render import banner_html, human_bytes, progress_html

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
