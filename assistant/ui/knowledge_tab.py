"""The Knowledge tab: browse and search the coaching library, read an entry, and manage your
own documents (uploads that retrieval also uses)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import CoachError
from assistant.knowledge import Library
from assistant.ui.context import PageContext
from assistant.ui.i18n import t
from assistant.ui.render import human_bytes, notice_html

KIND_KEYS = (
    "strategy",
    "activity",
    "session-flow",
    "example",
    "framework",
    "question-bank",
    "scenario",
    "upload",
)


def kind_choices(lang: str) -> list[tuple[str, str]]:
    """The kind filter: everything, or one kind of entry."""
    return [(t(lang, "kind_all"), "")] + [
        (t(lang, f"kind_{kind.replace('-', '_')}"), kind) for kind in KIND_KEYS
    ]


def entry_choices(library: Library, kind: str, lang: str) -> list[tuple[str, str]]:
    """Entries of a kind in a language, as (title, id) sorted by title."""
    entries = library.entries(kind=kind or None, lang=lang)
    return sorted(((e.title, e.id) for e in entries), key=lambda pair: pair[0].lower())


def hits_markdown(library: Library, query: str, lang: str, kind: str, user: str) -> str:
    """Search results as Markdown: title, section, kind and an excerpt per hit."""
    hits = library.search(query, lang=lang, kinds=[kind] if kind else None, k=6, user=user)
    if not hits:
        return t(lang, "knowledge_no_hits")
    lines = []
    for hit in hits:
        excerpt = " ".join(hit.text.split())
        excerpt = excerpt if len(excerpt) <= 280 else excerpt[:279].rstrip() + "…"
        lines.append(
            f"**{hit.title}** · {hit.section} · `{hit.kind}` · `{hit.id}`\n\n> {excerpt}\n"
        )
    return "\n".join(lines)


def indexing_note(library: Library, lang: str) -> str:
    """A line about indexing or rebuilding in progress (with how far it got), else ""."""
    progress = library.indexing
    if not progress.busy:
        return ""
    values = {"done": progress.done, "total": progress.total or "?"}
    if progress.state == "rebuilding":
        reason = t(lang, f"index_reason_{progress.reason.replace('-', '_')}")
        return t(lang, "knowledge_rebuilding", reason=reason, **values)
    return t(lang, "knowledge_indexing_progress", **values)


def build_knowledge_tab(ctx: PageContext, lang0: str) -> None:
    """Lay out the Knowledge tab inside the current gr.Tabs and wire its events."""
    library, relabel, labels = ctx.services.library, ctx.relabel, ctx.labels

    def user() -> str:
        """The uploads key of the user whose event is being handled."""
        return str(ctx.user_id)

    with labels.tab("tab_knowledge", id="knowledge"):
        labels.markdown("knowledge_intro")
        with gr.Row(equal_height=False):
            query = labels.textbox(
                "knowledge_query",
                placeholder="knowledge_placeholder",
                elem_id="knowledge-query",
                scale=3,
            )
            kind = labels.dropdown(
                "knowledge_kind",
                choices=kind_choices,
                value="",
                elem_id="knowledge-kind",
                scale=1,
            )
            search_btn = labels.button(
                "knowledge_search",
                variant="primary",
                scale=0,
                min_width=120,
                elem_id="knowledge-search",
            )
        results = gr.Markdown("", elem_id="knowledge-results")
        # Re-labelled by hand: a language switch also clears the pick (value=None).
        entry_pick = relabel.add(
            gr.Dropdown(
                entry_choices(library, "", lang0),
                value=None,
                label=t(lang0, "knowledge_read"),
                elem_id="knowledge-entry",
            ),
            lambda lang: gr.Dropdown(
                choices=entry_choices(library, "", lang),
                value=None,
                label=t(lang, "knowledge_read"),
            ),
        )
        entry_view = gr.Markdown("", elem_id="knowledge-view")
        with labels.accordion("uploads_title", open=False, elem_id="uploads"):
            labels.markdown("uploads_intro")
            upload_file = labels.labelled(
                gr.File,
                "uploads_file",
                file_types=[".md", ".txt", ".pdf"],
                type="filepath",
                elem_id="upload-file",
            )
            uploads_list = gr.Markdown("", elem_id="uploads-list")
            with gr.Row():
                delete_pick = labels.dropdown("uploads_delete_pick", elem_id="upload-pick")
                delete_btn = labels.button(
                    "uploads_delete", scale=0, min_width=120, elem_id="upload-delete"
                )
                confirm_btn = gr.Button(
                    "",
                    variant="stop",
                    visible=False,
                    scale=0,
                    min_width=200,
                    elem_id="upload-confirm",
                )
            upload_notice = gr.HTML("", elem_id="upload-notice")

    def search(text: str, chosen_kind: str, lang: str) -> str:
        if not text.strip():
            return t(lang, "knowledge_empty_query")
        try:
            found = hits_markdown(library, text, lang, chosen_kind, user())
        except Exception as exc:  # an index being (re)built must not break the page
            return t(lang, "knowledge_unavailable", reason=str(exc))
        note = indexing_note(library, lang)
        if note or library.needs_ingest():
            found = f"_{note or t(lang, 'knowledge_indexing')}_\n\n{found}"
        return found

    def browse(chosen_kind: str, lang: str) -> Any:
        if chosen_kind == "upload":
            return gr.Dropdown(choices=[], value=None)
        return gr.Dropdown(choices=entry_choices(library, chosen_kind, lang), value=None)

    def read(entry_id: str | None, lang: str) -> str:
        entry = library.entry(entry_id, lang) if entry_id else None
        if entry is None:
            return ""
        tags = ", ".join(entry.tags)
        # The body starts with the entry's own "# Title" heading; the summary goes under it.
        heading, _, sections = entry.body.partition("\n\n")
        return f"{heading}\n\n_{entry.summary}_\n\n`{entry.kind}` · {tags}\n\n{sections}"

    def uploads_view(lang: str) -> tuple[str, Any]:
        uploads = library.list_uploads(user())
        note = indexing_note(library, lang)
        if not uploads:
            listing = f"_{note}_\n\n" if note else ""
            return listing + t(lang, "uploads_none"), gr.Dropdown(choices=[], value=None)
        lines = [f"_{note}_\n"] if note else []
        lines += [
            f"- **{u.name}** · {human_bytes(u.size)} · {u.chunks} {t(lang, 'uploads_chunks')}"
            for u in uploads
        ]
        return "\n".join(lines), gr.Dropdown(choices=[u.name for u in uploads], value=None)

    def upload(path: str | None, lang: str) -> tuple[Any, ...]:
        if not path:
            return gr.skip(), gr.skip(), gr.skip(), ""
        if not ctx.may_read_file(path):  # another user's cached file
            return None, gr.skip(), gr.skip(), notice_html(t(lang, "file_not_yours"))
        try:
            stored = library.add_upload(user(), Path(path).name, Path(path).read_bytes())
        except CoachError as exc:  # a refused file (UploadError), or the store is down
            return None, gr.skip(), gr.skip(), notice_html(exc.message(lang))
        listing, picker = uploads_view(lang)
        done = t(lang, "uploads_added", name=stored.name, chunks=stored.chunks)
        return None, listing, picker, notice_html(done, "info")

    def ask_to_delete(name: str | None, lang: str) -> tuple[Any, Any]:
        if not name:
            return gr.Button(visible=False), notice_html(t(lang, "uploads_pick_first"))
        return gr.Button(t(lang, "uploads_confirm", name=name), visible=True), ""

    def delete(name: str | None, lang: str) -> tuple[Any, ...]:
        hidden = gr.Button(visible=False)
        if not name:
            return gr.skip(), gr.skip(), hidden, notice_html(t(lang, "uploads_pick_first"))
        deleted = library.delete_upload(user(), name)
        listing, picker = uploads_view(lang)
        if not deleted:
            return listing, picker, hidden, notice_html(t(lang, "uploads_none_deleted", name=name))
        return listing, picker, hidden, notice_html(t(lang, "uploads_deleted", name=name), "info")

    search_btn.click(search, [query, kind, ctx.language], results, api_name="knowledge_search")
    query.submit(search, [query, kind, ctx.language], results, api_visibility="private")
    kind.input(browse, [kind, ctx.language], entry_pick, api_visibility="private")
    entry_pick.input(read, [entry_pick, ctx.language], entry_view, api_visibility="private")
    upload_file.upload(
        upload,
        [upload_file, ctx.language],
        [upload_file, uploads_list, delete_pick, upload_notice],
        api_visibility="private",
    )
    delete_btn.click(
        ask_to_delete,
        [delete_pick, ctx.language],
        [confirm_btn, upload_notice],
        api_visibility="private",
    )
    confirm_btn.click(
        delete,
        [delete_pick, ctx.language],
        [uploads_list, delete_pick, confirm_btn, upload_notice],
        api_visibility="private",
    )
    ctx.language.change(uploads_view, [ctx.language], [uploads_list, delete_pick])
