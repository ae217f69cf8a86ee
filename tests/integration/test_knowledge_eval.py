"""Retrieval quality on the built-in library: recall@3 and MRR per language must not regress.

The built-in knowledge/ is ingested once for the module with the real MiniLM embedding, through the
same ``coach ingest`` command a user runs. The queries live in tests/data/retrieval_eval.yaml; the
floors below are the measured values rounded down to 0.05 (see bench/README.md for the numbers).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

from assistant.config import PROJECT_ROOT, Settings
from assistant.knowledge import Library, load_entries
from assistant.knowledge.cli import register

EVAL_FILE = Path(__file__).parents[1] / "data" / "retrieval_eval.yaml"
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
RECALL_AT_3_FLOOR = {"en": 0.95, "da": 0.90}
MRR_FLOOR = {"en": 0.90, "da": 0.85}
MIN_QUERIES = 60


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    entries, _ = load_entries(KNOWLEDGE_DIR)
    if not entries:
        pytest.skip(f"the built-in library has no entries yet ({KNOWLEDGE_DIR})")
    return Settings(data_dir=tmp_path_factory.mktemp("eval"), knowledge_dir=KNOWLEDGE_DIR)


@pytest.fixture(scope="module")
def cli(settings: Settings) -> typer.Typer:
    app = typer.Typer()
    register(app, lambda: settings)

    @app.command("version")
    def version() -> None:  # a second command keeps subcommand names
        typer.echo("0")

    return app


@pytest.fixture(scope="module")
def library(settings: Settings, cli: typer.Typer) -> Library:
    result = CliRunner().invoke(cli, ["ingest"])
    # Exit 1 only means a library file was skipped (reported on stderr); the rest is indexed.
    assert result.exit_code in (0, 1), result.output
    return Library.open(settings)


def evaluate(library: Library, lang: str) -> dict[str, Any]:
    """recall@3 and MRR (over the top 10) for the queries whose ids exist in ``lang``."""
    known = {e.id for e in library.entries(lang=lang)}
    queries = [q for q in yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))[lang]]
    usable = [q for q in queries if set(q["ids"]) <= known]
    found_at_3, reciprocal, misses = 0, 0.0, []
    for query in usable:
        ids = [hit.id for hit in library.search(query["q"], lang=lang, k=10)]
        rank = next((i for i, id in enumerate(ids) if id in query["ids"]), None)
        found_at_3 += rank is not None and rank < 3
        reciprocal += 0.0 if rank is None else 1.0 / (rank + 1)
        if rank is None or rank >= 3:
            misses.append((query["q"], ids[:3]))
    count = max(len(usable), 1)
    return {
        "queries": len(usable),
        "recall@3": found_at_3 / count,
        "mrr": reciprocal / count,
        "misses": misses,
    }


@pytest.mark.parametrize("lang", ["en", "da"])
def test_recall_and_mrr_stay_above_the_measured_floor(library: Library, lang: str) -> None:
    result = evaluate(library, lang)

    assert result["queries"] >= MIN_QUERIES, "expected ids missing from the library?"
    assert result["recall@3"] >= RECALL_AT_3_FLOOR[lang], result
    assert result["mrr"] >= MRR_FLOOR[lang], result


def test_the_danish_feedback_question_finds_the_feedback_entries_first(
    library: Library, cli: typer.Typer
) -> None:
    result = CliRunner().invoke(
        cli, ["search", "hvordan giver jeg svær feedback", "--lang", "da", "--json"]
    )

    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["id"] in {"balanced-feedback", "sbi-feedback"}
    assert hits[0]["lang"] == "da"
    assert set(hits[0]) == {"id", "lang", "kind", "title", "section", "text", "score"}
