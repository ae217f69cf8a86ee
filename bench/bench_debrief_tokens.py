"""What a debrief makes the model read and write on the critical path (#16).

Plays a four-line rehearsal (and a one-answer Q&A round) against the Ollama double, then the
debrief, and prints per model request: the prompt size, the part of it that is new (not a
prefix of the request before it, which the model's cache already holds: for the first
section, the session's last chat request and the reply generated for it), the ``num_predict``
cap, and what was generated. Tokens are estimated at 4 characters per token (the double's
count; a real tokenizer differs by a few tens of percent).

    python bench/bench_debrief_tokens.py          # the double's scripted sections
    python bench/bench_debrief_tokens.py --json

Before (the issue's real-model figures): a new 6,050-character prompt (about 1,500 tokens
prefilled) and 807 JSON tokens; a parse failure added a 6,420-character retry and up to 1,500
more tokens, then a plain fallback.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.config import Settings  # noqa: E402
from assistant.debrief import SectionRequest, final_result, stream_debrief  # noqa: E402
from assistant.services import build_services  # noqa: E402
from tests.fixtures.ollama_double import OllamaDouble  # noqa: E402

LINES = (
    "Last Tuesday the extract came two days late, and the board pack went out without it.",
    "What has been getting in the way?",
    "So it sounds like the second team's work keeps landing on you first.",
    "What would help you get the extract to me by Monday?",
)
SECTIONS = (
    "1. It named one concrete event and its effect.\n2. It invited his side of the story.",
    "TRY: reflecting his frustration before you ask for a date.\n"
    "SAY: It sounds like the priorities moved under you.",
    "1. 4 - named Tuesday and the board pack\n2. 2 - no appreciation yet\n"
    "3. 4 - open question and a reflection\n4. 3 - asked for Monday, no owner",
    "FELT: Defensive at first, then heard.\nLANDED: Being asked what got in the way.",
)


def tokens(chars: int) -> int:
    return round(chars / 4)


def run(mode_name: str, double: OllamaDouble, settings: Settings) -> list[SectionRequest]:
    services = build_services(settings)
    mode = services.modes[mode_name]
    user = services.store.user_id()
    if mode_name == "qa":
        session = mode.start(user, "en", {"notes": "# Plan\nPayback in 18 months.", "questions": 1})
        double.script("[§1] Where does the payback come from?")
        list(mode.opening(session))
        double.script("Thank you.")
        list(mode.respond(session, "Eighteen months. I checked it with finance."))
        criteria = len(mode.criteria("sceptical-executive", "en")[0])
    else:
        session = mode.start(user, "en", {"scenario": "missed-deadlines"})
        for line in LINES:
            double.script("Mm. The data was a mess, honestly.")
            list(mode.respond(session, line))
        criteria = len(mode.scenario(session).success_criteria)
    ratings = "\n".join(f"{n}. 3 - said so" for n in range(1, criteria + 1))
    double.script(SECTIONS[0], SECTIONS[1], ratings if mode_name == "qa" else SECTIONS[2])
    double.script(SECTIONS[3])
    # The modes' own debrief path (stream_debrief), with a record of what each request cost.
    costs: list[SectionRequest] = []
    session = services.store.session(user, session.id) or session
    turns = services.store.turns(session.id)
    if mode_name == "qa":
        lines = [t.text for t in turns[1:] if t.role == "user"]
        person = mode.persona("sceptical-executive", "en").name
        crit = mode.criteria("sceptical-executive", "en")[0]
        passages = mode.grounding(" ".join(crit), "en", [])
    else:
        scenario = mode.scenario(session)
        lines = [t.text for t in turns if t.role == "user"]
        person, crit = scenario.counterpart.name, scenario.success_criteria
        passages = mode.grounding(scenario)
    final_result(
        stream_debrief(
            services.conversation,
            mode.prompts,
            session,
            turns,
            person=person,
            user_lines=lines,
            criteria=crit,
            passages=passages,
            costs=costs,
        )
    )
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    with OllamaDouble() as double, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", ollama_host=double.url)
        for mode in ("rehearse", "qa"):
            for cost in run(mode, double, settings):
                rows.append(
                    {
                        "mode": mode,
                        "section": cost.section + (" (repair)" if cost.repair else ""),
                        "prompt_tokens": tokens(cost.prompt_chars),
                        "new_prefill_tokens": tokens(cost.new_chars),
                        "num_predict": cost.num_predict,
                        "generated_tokens": cost.generated_tokens,
                    }
                )
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| mode | section | prompt tokens | new (prefilled) | cap | generated |")
    print("|---|---|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['mode']} | {row['section']} | {row['prompt_tokens']} | "
            f"{row['new_prefill_tokens']} | {row['num_predict']} | {row['generated_tokens']} |"
        )
    for mode in ("rehearse", "qa"):
        mine = [r for r in rows if r["mode"] == mode]
        print(
            f"{mode}: prefilled {sum(r['new_prefill_tokens'] for r in mine)} tokens, "
            f"at most {sum(r['num_predict'] for r in mine)} generated "
            f"(scripted here: {sum(r['generated_tokens'] or 0 for r in mine)})"
        )


if __name__ == "__main__":
    main()
