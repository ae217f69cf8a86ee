"""Accuracy per label of the rule classifier on the generalisation sets (issue #18).

tests/data/skills_generalise.{en,da}.tsv were written apart from the rules, from realistic
coaching and feedback talk, and share no sentence with the other labelled sets. Prints, per
language, overall accuracy, macro-F1 and per label: support, precision, recall, F1, plus the
units the rules got wrong.

    python bench/bench_label_accuracy.py [--errors]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.skills import classify_unit, score_labels  # noqa: E402


def load(lang: str) -> list[tuple[str, str]]:
    """The (text, gold label) rows of one language's generalisation set."""
    path = ROOT / "tests" / "data" / f"skills_generalise.{lang}.tsv"
    with path.open(encoding="utf-8") as handle:
        return [(row["text"], row["label"]) for row in csv.DictReader(handle, delimiter="\t")]


def main() -> None:
    """Print the scores per language."""
    show_errors = "--errors" in sys.argv
    for lang in ("en", "da"):
        rows = load(lang)
        gold = [label for _, label in rows]
        predicted = [classify_unit(text, lang) for text, _ in rows]
        scores = score_labels(gold, predicted)
        print(  # noqa: T201
            f"{lang}: {len(rows)} units, accuracy {scores.accuracy:.2f}, "
            f"macro-F1 {scores.macro_f1:.2f}"
        )
        for label, s in scores.per_label.items():
            print(  # noqa: T201
                f"  {label:20} n={s['support']:>3.0f}  P={s['precision']:.2f}  "
                f"R={s['recall']:.2f}  F1={s['f1']:.2f}"
            )
        if show_errors:
            for (text, want), got in zip(rows, predicted, strict=True):
                if want != got:
                    print(f"    {want} -> {got}: {text}")  # noqa: T201


if __name__ == "__main__":
    main()
