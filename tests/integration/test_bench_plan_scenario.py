"""bench/bench_user_latency.py's plan tailoring and scenario draft rows measure the first item
shown, not the whole answer (issue #16, cheap extras).

Against the Ollama double with its cost model (no Ollama server can run here), gpu profile and
a tiny time scale. Whether an item was shown before the answer was done is checked on the
steps themselves, not on timing: the benchmark's first visible moment is the first step with
a finished item, and at that step the rest of the answer had not arrived.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench import bench_user_latency


def test_plan_and_scenario_rows_show_an_item_before_the_answer_is_done(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    firsts: list[tuple[int, int]] = []  # (items done, items in all) at the first shown step
    shown = bench_user_latency.items_shown

    def recording(steps: Any, count: Any) -> Any:
        first = True
        for step in steps:
            if first and count(step):
                first = False
                firsts.append((count(step), step.total))
            yield from shown(iter([step]), count)

    monkeypatch.setattr(bench_user_latency, "items_shown", recording)
    bench_user_latency.main(
        ["--json", "--modes", "plan,scenario", "--profile", "gpu", "--time-scale", "0.001"]
    )
    rows = {row["action"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"plan tailoring", "scenario draft"}
    assert rows["plan tailoring"]["mode"] == "plan"
    assert rows["scenario draft"]["mode"] == "rehearse"
    # The first visible moment is one item, with the others still to come (the timed runs
    # come after the untimed pass that warms the app's code paths).
    timed = firsts[-2:]
    assert len(firsts) == 4 and timed == [(1, timed[0][1]), (1, 7)] and timed[0][1] > 1
    for row in rows.values():
        assert 0 <= row["first_visible_s"] <= row["done_s"]
        assert row["generated_tokens"] > 0
