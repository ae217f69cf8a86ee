"""The Progress tab's charts follow the page's language: the language switch's refresh sends
every session-axis chart its title and axis title in the new language (the build-time ones
are in the configured language).

The page is built with the real services and store; no model is needed.
"""

from __future__ import annotations

import gradio as gr

from assistant.config import Settings
from assistant.i18n import t
from assistant.services import build_services
from assistant.ui import build_app
from assistant.ui.progress_tab import LISTENING_CHARTS, MOVE_CHARTS


def language_refresh(demo: gr.Blocks, language_id: int):
    """The Progress tab's handler for the language radio's change, and its outputs."""
    return next(
        fn
        for fn in demo.fns.values()
        if (language_id, "change") in fn.targets
        and any(isinstance(block, gr.LinePlot) for block in fn.outputs)
    )


def chart_updates(fn, lang: str) -> dict[str, gr.LinePlot]:
    """The updates the handler sends to the session-axis charts, by element id."""
    updates = fn.fn(lang)
    return {
        block.elem_id: update
        for block, update in zip(fn.outputs, updates, strict=True)
        if isinstance(block, gr.LinePlot) and block.elem_id != "progress-ratings"
    }


def test_the_charts_titles_follow_the_language_switch(tmp_path):
    services = build_services(Settings(data_dir=tmp_path / "data", language="en"))
    user = services.store.user_id()
    practice = services.store.create_session(user, mode="practice", lang="en", system_prompt="S")
    metrics = {"reflection_to_question_ratio": 1.5, "percent_complex_reflections": 45}
    services.store.update_options(practice.id, skills={"metrics": metrics})
    demo = build_app(services)
    language = next(
        b for b in demo.blocks.values() if isinstance(b, gr.Radio) and b.elem_id == "language"
    )
    fn = language_refresh(demo, language._id)
    titles = {f"progress-{k}": key for k, key in LISTENING_CHARTS.items()}
    titles |= {f"progress-moves-{k}": key for k, key in MOVE_CHARTS.items()}

    for lang in ("da", "en"):
        updates = chart_updates(fn, lang)
        assert set(updates) == set(titles)
        for elem_id, key in titles.items():
            assert updates[elem_id].label == t(lang, key), elem_id
            assert updates[elem_id].x_title == t(lang, "progress_session_axis"), elem_id
    # The listening charts have data and are shown; the move charts have none and stay hidden.
    shown = chart_updates(fn, "da")
    assert shown["progress-percent_complex_reflections"].visible is True
    assert shown["progress-moves-blame"].visible is False
