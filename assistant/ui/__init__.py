"""The Gradio web app: ``build_app(services)`` builds the page, ``launch`` serves it."""

from __future__ import annotations

import os

# Gradio reads this when it is imported: no usage analytics, no version check.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.ui.page import CSS, build_app  # noqa: E402

__all__ = ["build_app", "launch"]


def launch(demo: gr.Blocks, settings: Settings, *, block: bool = True) -> None:
    """Serve the page on the configured address (127.0.0.1 by default), never via share links."""
    demo.queue(default_concurrency_limit=settings.chat_concurrency)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        show_error=True,
        inbrowser=False,
        css=CSS,
        prevent_thread_lock=not block,
        footer_links=["settings"],
    )
