"""`coach practice` with lines piped in (typer's CliRunner) and a scripted model."""

import json

import pytest
from typer.testing import CliRunner

import assistant.services
from assistant.cli import app
from tests.fixtures.fake_models import ScriptedChatModel


@pytest.fixture
def model(monkeypatch):
    scripted = ScriptedChatModel()
    monkeypatch.setattr(assistant.services, "build_chat_model", lambda settings: scripted)
    return scripted


SECTIONS = (
    "1. Specific.\n2. Open.",
    "TRY: a pause.\nSAY: …",
    "\n".join(f"{n}. 3 - e" for n in range(1, 5)),
    "FELT: Okay.\nLANDED: The question.",
)


def test_piped_rehearsal_with_hint_rewind_and_json_debrief(model):
    model.enqueue(
        "It was the source data.",
        "Whatever.",
        'Try: "What got in the way?"',
        "Honestly, the second team.",
        *SECTIONS,
    )
    lines = "\n".join(
        [
            "Tuesday the extract came late.",
            "You are unreliable.",
            "/hint what now?",
            "/rewind 2",
            "What got in the way?",
            "/debrief",
        ]
    )
    result = CliRunner().invoke(
        app, ["practice", "--difficulty", "resistant", "--json-debrief"], input=lines + "\n"
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "DANIEL: Sure, I've got fifteen minutes." in out
    assert "DANIEL: It was the source data." in out
    assert 'COACH: Try: "What got in the way?"' in out
    assert "(rewound to before: You are unreliable.)" in out
    assert "DANIEL: Honestly, the second team." in out
    data = json.loads(out.strip().splitlines()[-1])
    assert data["kind"] == "structured" and data["rating"] == 3
    # The hint never reached the counterpart, and the rewound line is gone from its history.
    last_turn = " ".join(str(m.content) for m in model.requests[3])
    assert "unreliable" not in last_turn and "Try:" not in last_turn


def test_a_danish_rehearsal_speaks_danish_in_the_terminal_too(model):
    model.enqueue("Det var kildedataene.", "Okay.")
    lines = "Tirsdag kom udtrækket sent.\n/rewind 7\n/hvad\n/rewind 1\n/end\n"
    result = CliRunner().invoke(app, ["practice", "--lang", "da"], input=lines)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Kommandoer: /hint [spørgsmål]" in out  # the help under the scenario, and after /hvad
    assert out.count("Kommandoer:") == 2
    assert "/rewind skal have et tal fra 1 til 1." in out
    assert "(spolet tilbage til før: Tirsdag kom udtrækket sent.)" in out
    assert "Commands:" not in out and "rewound" not in out


def test_debrief_prints_the_counts_first_then_each_section_in_order(model):
    model.enqueue("It was the source data.", *SECTIONS)
    lines = "Tuesday the extract came late. What got in the way?\n/debrief\n"
    result = CliRunner().invoke(app, ["practice"], input=lines)
    assert result.exit_code == 0, result.output
    out = result.output
    marks = ["(Your lines, counted:", "What worked:", "To try next time:", "Success criteria:"]
    marks.append("How Daniel experienced it:")
    places = [out.index(mark) for mark in marks]
    assert places == sorted(places)
    assert '+ "What got in the way?" - Open.' in out
    assert "> One thing you could try next time is a pause." in out


def test_switch_roles_and_end_in_danish(model):
    model.enqueue("Lars, har du fem minutter?", "Fint.")
    lines = "/switch\nJa, hvad drejer det sig om?\n/switch\n/end\n"
    result = CliRunner().invoke(app, ["practice", "--lang", "da"], input=lines)
    assert result.exit_code == 0, result.output
    assert "DIG: Lars, har du fem minutter?" in result.output


def test_unknown_scenario_and_bad_difficulty_exit_2(model):
    runner = CliRunner()
    assert runner.invoke(app, ["practice", "--scenario", "nope"], input="").exit_code == 2
    assert runner.invoke(app, ["practice", "--difficulty", "x"], input="").exit_code == 2


def test_each_line_is_followed_by_its_labels_and_openness(model):
    model.enqueue("Whatever.", "Maybe.")
    lines = "You always deliver late.\nIt sounds like the priorities keep shifting under you.\n"
    out = CliRunner().invoke(app, ["practice"], input=lines + "/end\n").output
    blunt, skilful = [line for line in out.splitlines() if line.startswith("  [")]
    # Blame is a statement, not a reflection (issue #18).
    assert blunt.startswith("  [statement · blame · generalisation · openness 2/10]")
    assert "without 'always' or 'never'" in blunt
    assert skilful == "  [complex reflection · openness 3/10]"
    assert out.index("DANIEL: Whatever.") < out.index(blunt) < out.index("DANIEL: Maybe.")


def test_labels_in_danish_and_off_with_no_labels(model):
    model.enqueue("Nå.", "Nå.")
    lines = "Du kommer altid for sent.\n/end\n"
    danish = CliRunner().invoke(app, ["practice", "--lang", "da"], input=lines).output
    assert "bebrejdelse · generalisering · åbenhed 2/10]" in danish
    quiet = CliRunner().invoke(app, ["practice", "--no-labels"], input=lines).output
    assert "  [" not in quiet and "bebrejdelse" not in quiet


@pytest.mark.parametrize(
    ("lang", "again", "cut", "kept"),
    [
        ("en", "written again", "cut at its last full sentence", "the first attempt, kept"),
        ("da", "skrevet igen", "afkortet ved sidste hele sætning", "første forsøg, beholdt"),
    ],
)
def test_a_reply_shown_again_says_why(capsys, lang, again, cut, kept):
    from assistant.practice_cli import stream_out

    # Written again after a failed reply check: the new attempt on its own, marked line.
    stream_out(iter(["I know.", "I know. It was late.", "Fine."]), "DANIEL", lang)
    assert capsys.readouterr().out == f"DANIEL: I know. It was late.\nDANIEL ({again}): Fine.\n"
    # A second attempt that begins like the first (its first words are a prefix of it).
    stream_out(
        iter(["Sure, I", "Sure, I know.", "Sure", "Sure, I", "Sure, I know."]), "DANIEL", lang
    )
    assert capsys.readouterr().out == f"DANIEL: Sure, I know.\nDANIEL ({again}): Sure, I know.\n"
    # The second attempt was no better: the first one is shown again, and kept.
    stream_out(iter(["I know.", "Fine.", "I know."]), "DANIEL", lang)
    assert capsys.readouterr().out == (
        f"DANIEL: I know.\nDANIEL ({again}): Fine.\nDANIEL ({kept}): I know.\n"
    )
    # Cut back to the last full sentence at the token cap.
    stream_out(iter(["It was late. And I", "It was late."]), "DANIEL", lang)
    assert capsys.readouterr().out == f"DANIEL: It was late. And I\nDANIEL ({cut}): It was late.\n"
