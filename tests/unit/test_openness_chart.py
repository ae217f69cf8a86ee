"""The openness chart after a debrief (axis titles, fixed 0-10 ticks, the reveal threshold,
in the page's language) and the records the chips/meter toggles show (issue #18)."""

from __future__ import annotations

import re

import pytest

from assistant.i18n import t
from assistant.openness import REVEAL_AT, timeline
from assistant.store import Turn
from assistant.ui.turn_chips import (
    chip_last_user_line,
    chips_html,
    openness_chart_html,
    shown_records,
    with_level,
)

LINES = ["You always deliver late.", "It sounds like the priorities keep shifting under you."]


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_chart_names_its_axes_and_the_threshold_in_the_page_language(lang) -> None:
    chart = openness_chart_html(timeline(LINES, lang, "realistic"), "Daniel", lang)
    x_title = re.search(r'class="openness-x-title"[^>]*>([^<]*)<', chart)
    y_title = re.search(r'class="openness-y-title"[^>]*>([^<]*)<', chart)
    assert x_title and x_title.group(1) == t(lang, "openness_turn")
    assert y_title and y_title.group(1) == t(lang, "openness_level")
    assert f"{t(lang, 'openness_reveal_line')} ({REVEAL_AT}+)" in chart
    assert 'class="openness-reveal"' in chart


def test_the_y_axis_is_fixed_at_0_to_10_and_x_counts_the_lines() -> None:
    short = openness_chart_html(timeline(LINES[:1], "en", "cooperative"), "Daniel", "en")
    y_ticks = re.findall(r'text-anchor="end">(\d+)</text>', short)
    assert y_ticks == [str(v) for v in range(11)]
    x_ticks = re.findall(r'text-anchor="middle">(\d+)</text>', short)
    assert x_ticks == ["0", "1"]  # the start and the one line
    # A level sits where the fixed scale puts it, whatever the other levels are.
    level_y = {m[1]: m[0] for m in re.findall(r'cy="(\d+)" r="3.5" data-level="(\d+)"', short)}
    tick_y = dict(
        re.findall(r'y="(\d+)" font-size="10" fill="#475467" text-anchor="end">(\d+)<', short)
    )
    tick_of = {v: int(y) for y, v in tick_y.items()}
    for level, cy in level_y.items():
        assert abs(int(cy) - (tick_of[level] - 3)) <= 1, level


def test_many_lines_get_at_most_about_twelve_x_labels() -> None:
    lines = ["What has been getting in the way for you?"] * 40
    chart = openness_chart_html(timeline(lines, "en", "realistic"), "Daniel", "en")
    x_ticks = re.findall(r'text-anchor="middle">(\d+)</text>', chart)
    assert 2 <= len(x_ticks) <= 14 and x_ticks[0] == "0"
    assert chart.count("<circle") == 41


RECORDS = {
    1: {"labels": ["blame"], "tip": "live_tip_blame", "openness": {"before": 4, "after": 2}},
    2: {"labels": ["open_question"], "tip": None},
}


def test_the_toggles_decide_what_a_record_shows() -> None:
    assert shown_records(RECORDS, chips=True, meter=False) == RECORDS
    assert shown_records(RECORDS, chips=False, meter=False) is None
    meter_only = shown_records(RECORDS, chips=False, meter=True)
    assert meter_only == {1: {"openness": {"before": 4, "after": 2}}}
    shown = chips_html(meter_only[1], "da", meter=True)
    assert "åbenhed 2/10" in shown and "bebrejdelse" not in shown and "turn-tip" not in shown
    both = chips_html(RECORDS[1], "en", meter=True)
    assert "openness 2/10" in both and "blame" in both
    assert "openness" not in chips_html(RECORDS[1], "en", meter=False)


def test_the_live_meter_takes_the_level_stored_for_the_newest_line() -> None:
    turns = [
        Turn(
            id=7,
            session_id=1,
            role="user",
            text="a",
            status="complete",
            created_at="2026-12-06T10:00:00",
        ),
        Turn(
            id=8,
            session_id=1,
            role="assistant",
            text="b",
            status="streaming",
            created_at="2026-12-06T10:00:01",
        ),
    ]
    stored = {7: {"labels": ["open_question"], "openness": {"before": 4, "after": 5}}}
    live = with_level({}, stored, turns)
    chat = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    shown = chip_last_user_line(chat, live, "en", meter=True)
    assert "openness 5/10" in shown[0]["content"] and "open question" not in shown[0]["content"]
    # Not stored yet (or the meter off): the line is left as it is, no empty chip row.
    assert chip_last_user_line(chat, with_level({}, {}, turns), "en", meter=True) == chat
    assert chip_last_user_line(chat, live, "en", meter=False) == chat
