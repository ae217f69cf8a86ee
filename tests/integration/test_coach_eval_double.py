"""`coach eval` end to end against the Ollama double: scripted good and bad replies come out as
the documented JSON with the right counts, and a Markdown report is written."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant import eval_cli, evaluation
from assistant.cli import app
from assistant.evaluation import load_scripts
from tests.fixtures.ollama_double import person_words

REHEARSE_ECHO = "Thanks for making time, Daniel. I'd like to talk about the monthly report"
REVEAL = (
    "Honestly, since the reorganisation my manager keeps putting the second team's requests first."
)
ASSISTANT = "Of course! I'm happy to help. Here are some tips for the report."
STILL_ASSISTANT = "Happy to help! Feel free to ask me anything about the deadlines."


def scripted(messages):
    """The 'model': bad first attempts for some lines, good or bad second ones."""
    last = messages[-1]
    reminded = last["role"] == "system"
    users = [m["content"] for m in messages if m["role"] == "user"]
    # The person's words, without the app's note leading them (Rehearse's counterpart state).
    line = person_words(users[-1]) if users else ""
    if line.startswith("Thanks for making time"):  # Rehearse line 1: an echo, then good
        return "Fine. The extract was late, I know." if reminded else f"DANIEL: {line}"
    if line.startswith("What has been getting in the way"):  # line 2 (open): the reveal
        return REVEAL
    if line.startswith("So it sounds like"):  # line 3: assistant voice twice
        return STILL_ASSISTANT if reminded else ASSISTANT
    if line.startswith("I want to think about"):  # Reflect line 1: Danish, then English
        return "What matters most to you in it?" if reminded else "Hvad betyder mest for dig?"
    if line.startswith("What I want is"):
        return "How would you notice the relationship is still fine?"
    return "What is the first thing you would say to him?"


def test_coach_eval_json_counts_the_scripted_failures(settings, double, tmp_path, monkeypatch):
    double.reply_generator = scripted
    report = tmp_path / "report.md"
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "--modes",
            "rehearse,reflect",
            "--lang",
            "en",
            "--scenarios",
            "1",
            "--json",
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    card = json.loads(result.stdout)
    assert card["model"] == settings.model and card["finished"] is True
    assert card["units"] == {"done": 2, "planned": 2}
    rehearse, reflect = card["results"]
    assert (rehearse["mode"], rehearse["lang"], reflect["mode"]) == ("rehearse", "en", "reflect")
    assert rehearse["replies"] == 3 and rehearse["errors"] == 0
    assert rehearse["regenerated"] == 2
    assert rehearse["failed_before"] == {"assistant_voice": 1, "echo": 1}
    assert rehearse["failed_after"] == {"assistant_voice": 1}
    assert rehearse["language_ok_share"] == 1.0
    assert rehearse["hidden_concern"] == {
        "revealed": 1,
        "after_open_or_reflection": 1,
        "after_blunt_demand": 0,
    }
    assert rehearse["debriefs"] == 1 and rehearse["debrief_cited_ids_ok_share"] == 1.0
    # Timed from the streamed debrief: its first finished section comes before its end.
    first, done = rehearse["debrief_first_section_s_p50"], rehearse["debrief_done_s_p50"]
    assert isinstance(first, float) and isinstance(done, float) and first <= done
    # The kept replies: 7 words, the reveal (13) and the first assistant-voice one (a tie
    # keeps the first attempt, 13).
    assert len(ASSISTANT.split()) == len(REVEAL.split()) == 13
    assert rehearse["median_words"] == 13
    assert rehearse["sentence_budget"] == 4 and rehearse["ttft_p50_s"] is not None
    assert reflect["replies"] == 3 and reflect["regenerated"] == 1
    assert reflect["failed_before"] == {"wrong_language": 1} and reflect["failed_after"] == {}
    assert reflect["language_ok_share"] == 1.0 and reflect["hidden_concern"] is None
    assert reflect["debriefs"] == 0 and reflect["debrief_parsed_first_try_share"] is None
    documented = {
        "mode",
        "lang",
        "replies",
        "failed_before",
        "failed_after",
        "median_words",
        "language_ok_share",
        "debrief_parsed_first_try_share",
        "ttft_p50_s",
    }
    assert documented <= set(rehearse)
    text = report.read_text(encoding="utf-8")
    assert text.startswith(f"# coach eval: {settings.model}")
    assert "| rehearse | en | 3 (0 err) | assistant_voice 1, echo 1 | assistant_voice 1 |" in text
    assert card["report"] == str(report)


def test_an_interrupted_run_keeps_the_finished_scripts(settings, double, monkeypatch):
    played = []
    real_play = evaluation.play

    def play_then_stop(services, mode, script):
        if played:
            raise KeyboardInterrupt  # Ctrl-C during the second script
        played.append(mode)
        return real_play(services, mode, script)

    monkeypatch.setattr(evaluation, "play", play_then_stop)
    card = eval_cli.run(settings, ["reflect"], ["en", "da"], 1, progress=False)
    assert card["finished"] is False
    assert card["units"] == {"done": 1, "planned": 2}
    assert [(r["mode"], r["lang"], r["replies"]) for r in card["results"]] == [("reflect", "en", 3)]
    assert "interrupted" in eval_cli.markdown_report(card)


def test_ctrl_c_during_a_debrief_keeps_the_replies_of_that_script(settings, double, monkeypatch):
    from assistant.modes.rehearse import Rehearse

    def interrupted_debrief(self, session, cancelled=None):
        raise KeyboardInterrupt
        yield  # a generator, as the real one: Ctrl-C arrives while it is iterated

    monkeypatch.setattr(Rehearse, "debrief_stream", interrupted_debrief)
    card = eval_cli.run(settings, ["rehearse", "reflect"], ["en"], 1, progress=False)
    assert card["finished"] is False and card["units"] == {"done": 0, "planned": 2}
    (row,) = card["results"]
    assert (row["mode"], row["replies"], row["partial_scripts"], row["debriefs"]) == (
        "rehearse",
        3,
        1,
        0,
    )


def test_there_are_six_script_kinds_in_each_language():
    assert len(evaluation.ORDER) == eval_cli.SCRIPT_KINDS == 6
    scripts = load_scripts(["en", "da"])
    assert {(s.kind, s.lang) for s in scripts} == {
        (kind, lang) for kind in evaluation.ORDER for lang in ("en", "da")
    }
    for script in scripts:
        assert all(script.lines[mode] for mode in evaluation.EVAL_MODES), script.kind
    blunt = [line for s in scripts for line in s.lines["rehearse"] if line.blunt]
    opened = [line for s in scripts for line in s.lines["rehearse"] if line.open]
    assert len(blunt) == 2 and len(opened) == 2  # one of each per language


def test_no_ollama_is_a_clear_message(settings, double):
    double.stop()
    result = CliRunner().invoke(app, ["eval", "--modes", "reflect", "--lang", "en"])
    assert result.exit_code == 2
    assert "Ollama at" in result.stderr
