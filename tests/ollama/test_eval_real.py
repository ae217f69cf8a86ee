"""Opt-in tier: a short `coach eval` against a real Ollama (OLLAMA_HOST, OLLAMA_TEST_MODEL).

It checks that the scorecard is produced from a real model's replies (timings, counts and the
documented fields), never how good the model is.
"""

from __future__ import annotations

import pytest

from assistant import eval_cli
from tests.ollama.test_real_ollama import real_settings  # noqa: F401  (the fixture)

pytestmark = pytest.mark.ollama


def test_a_short_eval_scores_a_real_model(real_settings):  # noqa: F811
    card = eval_cli.run(real_settings, ["reflect"], ["en"], 1, progress=False)
    assert card["finished"] is True and card["model"] == real_settings.model
    (row,) = card["results"]
    assert (row["mode"], row["lang"], row["scripts"]) == ("reflect", "en", 1)
    assert row["replies"] == 3 and row["errors"] == 0
    assert row["median_words"] and row["median_words"] > 0
    assert 0.0 <= row["language_ok_share"] <= 1.0
    assert row["ttft_p50_s"] is not None and row["ttft_p50_s"] > 0
    assert row["tokens_per_s_p50"] is not None and row["tokens_per_s_p50"] > 0
    assert "# coach eval" in eval_cli.markdown_report(card)
