"""Two scripted rehearsals scored by the real rules: chips and openness per line (issue #18).

    python scripts/openness_demo.py [--lang da] [--difficulty realistic]

One blunt and one skilful rehearsal of the built-in "missed deadlines" scenario (five lines
each, English and Danish) go through the code that labels a line in the app
(``assistant.turn_labels.rehearsal_record``: skill labels, feedback moves, openness), one line
at a time as the page does. No model is asked: the rules read only your lines, so the
counterpart's replies play no part and none are needed. Printed per rehearsal: a Markdown
table of your line, its chips and openness before -> after, then the sentence the page shows
after the debrief (``openness.movers``) and whether the hidden concern may be shared (openness
reached ``REVEAL_AT``). The output is what the README's "Live labels…" tables show.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import i18n  # noqa: E402
from assistant.knowledge.loader import load_entry  # noqa: E402
from assistant.openness import REVEAL_AT, OpennessStep, movers, revealable, rule_for  # noqa: E402
from assistant.scenarios import scenario_from_data  # noqa: E402
from assistant.store import Turn  # noqa: E402
from assistant.turn_labels import rehearsal_record  # noqa: E402

SCENARIO = "missed-deadlines"

SCRIPTS: dict[str, dict[str, tuple[str, ...]]] = {
    "blunt": {
        "en": (
            "You always deliver late.",
            "Why do you always miss the deadline?",
            "You should write a plan and stick to it.",
            "Is it going to happen again? Do you even care?",
            "You never listen, do you?",
        ),
        "da": (
            "Du afleverer altid for sent.",
            "Hvorfor kan du aldrig nå det til tiden?",
            "Du burde lave en plan og holde dig til den.",
            "Sker det igen? Er du overhovedet ligeglad?",
            "Du hører aldrig efter, vel?",
        ),
    },
    "skilful": {
        "en": (
            "On Tuesday the extract came two days late, and I had to explain the gap at the "
            "management meeting.",
            "What has been getting in the way for you?",
            "It sounds like you've been carrying this on your own.",
            "So the other team's requests keep landing on you first.",
            "Could we agree on a short check-in every Friday? Did I get that right?",
        ),
        "da": (
            "I tirsdags kom udtrækket to dage for sent, og jeg måtte forklare hullet på "
            "ledermødet.",
            "Hvad har stået i vejen for dig?",
            "Det lyder som om du har båret det alene.",
            "Så det andet teams opgaver lander hos dig først.",
            "Kan vi aftale et kort tjek hver fredag? Har jeg forstået dig rigtigt?",
        ),
    },
}


@dataclass(frozen=True)
class DemoLine:
    """One of your lines with the labels and openness step the app stores with it."""

    text: str
    labels: list[str]
    tip: str | None
    step: OpennessStep


@dataclass(frozen=True)
class Rehearsal:
    """A scored scripted rehearsal: its lines, who the counterpart is, and the outcome."""

    kind: str
    lang: str
    difficulty: str
    person: str
    scenario: str
    lines: list[DemoLine]

    @property
    def steps(self) -> list[OpennessStep]:
        """The openness timeline."""
        return [line.step for line in self.lines]

    @property
    def revealed_at(self) -> OpennessStep | None:
        """The first step after which a hidden concern may be shared (None if never)."""
        return next((s for s in self.steps if revealable(s.after)), None)


def counterpart(lang: str) -> tuple[str, str]:
    """The counterpart's name and the scenario's title, from the built-in scenario file."""
    entry = load_entry(ROOT / "knowledge" / "scenarios" / f"{SCENARIO}.{lang}.md")
    data: dict[str, Any] = {**getattr(entry, "front_matter", {}), "id": SCENARIO, "lang": lang}
    scenario = scenario_from_data(data)
    return scenario.counterpart.name, scenario.title


def rehearse(kind: str, lang: str, difficulty: str = "realistic") -> Rehearsal:
    """Label the scripted lines one by one, as the page does after each line you send."""
    turns: list[Turn] = []
    lines = []
    for number, text in enumerate(SCRIPTS[kind][lang], start=1):
        turns.append(Turn(number, 1, "user", text, "complete", ""))
        record = rehearsal_record(turns, lang, difficulty)
        stored = record["openness"]  # the JSON shape kept with the turn
        step = OpennessStep(
            **{**stored, "raising": tuple(stored["raising"]), "lowering": tuple(stored["lowering"])}
        )
        lines.append(DemoLine(text, list(record["labels"]), record["tip"], step))
    person, title = counterpart(lang)
    return Rehearsal(kind, lang, difficulty, person, title, lines)


def render(rehearsal: Rehearsal) -> str:
    """The rehearsal as a Markdown table plus the movers sentence and the outcome."""
    lang = rehearsal.lang
    start = rule_for(rehearsal.difficulty).start
    heading = i18n.t(
        lang,
        "demo_heading",
        kind=i18n.t(lang, f"demo_{rehearsal.kind}"),
        scenario=rehearsal.scenario,
        difficulty=i18n.t(lang, f"difficulty_name_{rehearsal.difficulty}"),
        start=start,
    )
    out = [
        f"**{heading}**",
        "",
        f"| # | {i18n.t(lang, 'openness_turn')} | {i18n.t(lang, 'demo_labels')} "
        f"| {i18n.t(lang, 'openness_level')} |",
        "|---|---|---|---|",
    ]
    for line in rehearsal.lines:
        chips = " · ".join(i18n.t(lang, f"chip_{label}") for label in line.labels)
        out.append(
            f"| {line.step.line} | {line.text} | {chips} | {line.step.before} → {line.step.after} |"
        )
    out.append("")
    best, worst = movers(rehearsal.steps)
    if best is not None:
        out.append(i18n.t(lang, "openness_opened_after", person=rehearsal.person, line=best.text))
    if worst is not None:
        out.append(i18n.t(lang, "openness_closed_after", person=rehearsal.person, line=worst.text))
    shared = rehearsal.revealed_at
    if shared is not None:
        out.append(
            i18n.t(lang, "demo_revealed", line=shared.line, level=shared.after, threshold=REVEAL_AT)
        )
    else:
        highest = max(s.after for s in rehearsal.steps)
        out.append(i18n.t(lang, "demo_hidden", threshold=REVEAL_AT, highest=highest))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """Print the blunt and the skilful rehearsal in one language."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("en", "da"), default="en")
    parser.add_argument(
        "--difficulty", choices=("cooperative", "realistic", "resistant"), default="realistic"
    )
    args = parser.parse_args(argv)
    parts = [render(rehearse(kind, args.lang, args.difficulty)) for kind in SCRIPTS]
    print("\n\n".join(parts))  # noqa: T201


if __name__ == "__main__":
    main()
