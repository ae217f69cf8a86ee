"""scripts/openness_demo.py: the scripted blunt and skilful rehearsals, labelled and scored by
the real rules (no model, no double), keep the labels and outcome the README and the closing
note show, in both languages."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from assistant.openness import REVEAL_AT

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "openness_demo.py"

STATEMENT_BLAME = ["other", "blame", "generalisation"]
LABELS = {
    "blunt": [
        STATEMENT_BLAME,
        STATEMENT_BLAME,  # "Why do you always…?" is blame, not an open question
        ["advice"],
        ["closed_question"],
        STATEMENT_BLAME,  # "…, do you?" is blame, not a reflection
    ],
    "skilful": [
        ["other", "observation"],  # a time reference makes it concrete
        ["open_question"],
        ["reflection_complex"],  # carrying it alone / "båret det alene"
        ["reflection_simple"],
        ["closed_question", "request", "check_understanding"],
    ],
}
LEVELS = {"blunt": [4, 2, 0, 0, 0, 0], "skilful": [4, 5, 6, 7, 8, 8]}


def load_demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("openness_demo", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo() -> ModuleType:
    return load_demo()


@pytest.mark.parametrize("lang", ["en", "da"])
@pytest.mark.parametrize("kind", ["blunt", "skilful"])
def test_each_demo_line_keeps_its_labels_and_openness(demo, kind: str, lang: str) -> None:
    rehearsal = demo.rehearse(kind, lang)
    assert [line.labels for line in rehearsal.lines] == LABELS[kind]
    levels = [rehearsal.steps[0].before, *(step.after for step in rehearsal.steps)]
    assert levels == LEVELS[kind]


@pytest.mark.parametrize("lang", ["en", "da"])
def test_blunt_keeps_the_concern_hidden_and_skilful_reveals_it(demo, lang: str) -> None:
    blunt, skilful = demo.rehearse("blunt", lang), demo.rehearse("skilful", lang)
    assert blunt.revealed_at is None
    assert blunt.steps[-1].after < blunt.steps[0].before
    assert max(step.after for step in blunt.steps) < REVEAL_AT
    assert skilful.revealed_at is not None and skilful.revealed_at.line == 3
    assert skilful.steps[-1].after > skilful.steps[0].before


@pytest.mark.parametrize(
    ("lang", "closed", "opened", "hidden", "shared"),
    [
        (
            "en",
            "Daniel closed down after: 'You always deliver late.'",
            "Daniel opened up after: 'It sounds like you've been carrying this on your own.'",
            "Hidden concern: stays hidden (openness never reached 7; highest 2).",
            "Hidden concern: may be shared from line 3 (openness 7, threshold 7).",
        ),
        (
            "da",
            "Lars lukkede sig efter: 'Du afleverer altid for sent.'",
            "Lars åbnede sig efter: 'Det lyder som om du har båret det alene.'",
            "Skjult bekymring: forbliver skjult (åbenheden nåede aldrig 7; højest 2).",
            "Skjult bekymring: kan deles fra replik 3 (åbenhed 7, grænse 7).",
        ),
    ],
)
def test_the_printed_demo_names_the_movers_and_the_outcome(
    lang: str, closed: str, opened: str, hidden: str, shared: str
) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--lang", lang],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    blunt, skilful = done.stdout.split("\n\n**")
    # Lines 1 and 2 of the blunt script both lowered openness by 2; the tie goes to line 1,
    # which changed the stance (cautious -> closed).
    assert closed in blunt and hidden in blunt and "opened" not in blunt
    # All rises in the skilful script are +1; the tie goes to line 3, which crossed 7.
    assert opened in skilful and shared in skilful
    assert skilful.count("\n| ") == 6  # the header row and five lines
