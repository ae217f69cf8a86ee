"""Shows a debrief while it is written: the model-free facts at once, then each section as its
words arrive (the Rehearse, Q&A and Practice tabs' end handlers share this)."""

from __future__ import annotations

from collections.abc import Generator

from assistant.debrief import DebriefDraft
from assistant.feedback import DebriefResult, render_html


def draft_html(draft: DebriefDraft, lang: str, person: str) -> str:
    """A draft as HTML: finished sections, the one being written, "…" for those to come."""
    return render_html(
        draft.result,
        lang,
        person,
        pending=draft.pending,
        writing=draft.writing,
        live=draft.live,
    )


def debrief_updates(
    drafts: Generator[DebriefDraft, None, DebriefResult | None], lang: str, person: str
) -> Generator[tuple[str, DebriefResult | None], None, None]:
    """(HTML, the finished result or None while it is still being written) per draft.

    Closing this generator (Gradio does when the client cancels or leaves) closes the
    debrief's at once, which ends its model request."""
    try:
        for draft in drafts:
            yield draft_html(draft, lang, person), draft.result if draft.done else None
    finally:
        drafts.close()
