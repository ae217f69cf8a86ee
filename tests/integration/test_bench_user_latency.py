"""Smoke test of bench/bench_user_latency.py: its ``--json`` rows have the documented shape.

One mode (Rehearse), the gpu profile and a tiny time scale, so it runs in seconds; the figures
themselves are the benchmark's business, but what must hold whatever the speed (and whether
or not a warm-up runs) is checked: a later reply reuses the slot's cache.
"""

from __future__ import annotations

import json

import pytest

from bench import bench_user_latency

KEYS = {
    "profile",
    "mode",
    "action",
    "first_visible_s",
    "done_s",
    "prefill_tokens",
    "generated_tokens",
    "cache_reused",
}


def test_json_rows_have_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    bench_user_latency.main(
        ["--json", "--modes", "rehearse", "--profile", "gpu", "--time-scale", "0.001"]
    )
    rows = json.loads(capsys.readouterr().out)
    assert isinstance(rows, list) and rows
    for row in rows:
        assert set(row) == KEYS
        assert row["profile"] == "gpu" and row["mode"] == "rehearse"
        assert isinstance(row["first_visible_s"], float) and isinstance(row["done_s"], float)
        assert 0 <= row["first_visible_s"] <= row["done_s"]
        assert isinstance(row["prefill_tokens"], int) and isinstance(row["generated_tokens"], int)
        assert row["cache_reused"] in (True, False, None)
    by_action = {row["action"]: row for row in rows}
    expected = {"start a session", "first reply", "later reply", "hint", "switch roles"}
    assert expected | {"rewind", "debrief"} <= set(by_action)
    first, later = by_action["first reply"], by_action["later reply"]
    # Holds with or without a warm-up: a later line reads only itself and the last reply's
    # end, never the rehearsal's system prompt again (about 800 tokens on its own).
    assert later["cache_reused"] is True
    assert later["prefill_tokens"] < 200
    # The slowest reply of a 20-line session still reads only its own line and note.
    longest = by_action["later reply, 20 lines"]
    assert longest["cache_reused"] is True and longest["prefill_tokens"] < 200
    assert by_action["rewind"]["cache_reused"] is None  # no model request
    assert by_action["debrief"]["generated_tokens"] > first["generated_tokens"]
