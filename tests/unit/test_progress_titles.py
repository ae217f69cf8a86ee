"""Every Progress chart names its x axis, y axis and legend in the page's language, at build
time and on each refresh (a tab visit or the language switch), in English and Danish.

The page is built with the real services and store and a scripted chat model; no model is
asked anything.
"""

from __future__ import annotations

import gradio as gr
import pytest

from assistant.config import Settings
from assistant.i18n import t
from assistant.services import build_services
from assistant.ui import build_app
from assistant.ui.progress_tab import AXIS_TITLES, axis_titles
from tests.fixtures.fake_models import ScriptedChatModel

PLOTS = (gr.LinePlot, gr.BarPlot)
TITLES = ("x_title", "y_title", "color_title")


def chart_key(elem_id: str) -> str:
    """The AXIS_TITLES key of a Progress chart's element id."""
    for prefix in ("progress-moves-", "progress-"):
        if elem_id.startswith(prefix):
            return elem_id.removeprefix(prefix)
    raise AssertionError(f"not a Progress chart: {elem_id}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> gr.Blocks:
    data = tmp_path_factory.mktemp("progress") / "data"
    services = build_services(
        Settings(data_dir=data, language="en"), chat_model=ScriptedChatModel()
    )
    return build_app(services)


def refresh_of(demo: gr.Blocks, trigger: str):
    """The Progress tab's refresh on ``trigger`` ("change" of the language, "select" of the
    tab): the event whose outputs hold the charts."""
    return next(
        fn
        for fn in demo.fns.values()
        if any(event == trigger for _, event in fn.targets)
        and any(
            isinstance(block, PLOTS) and block.elem_id == "progress-goals" for block in fn.outputs
        )
    )


def test_every_title_is_translated() -> None:
    for chart in AXIS_TITLES:
        english, danish = axis_titles(chart, "en"), axis_titles(chart, "da")
        for title in TITLES:
            assert english[title] and danish[title], (chart, title)
            assert english[title] != danish[title], (chart, title)


def test_the_charts_are_built_with_their_titles(demo: gr.Blocks) -> None:
    charts = [b for b in demo.blocks.values() if isinstance(b, PLOTS)]
    charts = [b for b in charts if (b.elem_id or "").startswith("progress-")]
    assert {chart_key(b.elem_id) for b in charts} == set(AXIS_TITLES)
    for block in charts:
        key = AXIS_TITLES[chart_key(block.elem_id)]
        assert [getattr(block, title) for title in TITLES] == [t("en", k) for k in key]


@pytest.mark.parametrize("trigger", ["change", "select"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_each_refresh_sends_every_chart_its_three_titles(demo, trigger, lang) -> None:
    fn = refresh_of(demo, trigger)
    updates = dict(zip(fn.outputs, fn.fn(lang), strict=True))
    charts = {b.elem_id: u for b, u in updates.items() if isinstance(b, PLOTS)}
    assert {chart_key(elem_id) for elem_id in charts} == set(AXIS_TITLES)
    for elem_id, update in charts.items():
        keys = AXIS_TITLES[chart_key(elem_id)]
        shown = [getattr(update, title) for title in TITLES]
        assert shown == [t(lang, key) for key in keys], elem_id
