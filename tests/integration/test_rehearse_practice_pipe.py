"""`coach practice` as a real process with stdin as a pipe, against the Ollama double."""

import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures.ollama_double import person_words

ROOT = Path(__file__).resolve().parents[2]


def test_practice_reads_a_pipe_and_streams_replies(double, tmp_path):
    double.script(
        "I know it was late.",
        "The second team, mostly.",
        "1. It was specific.\n2. It was open.",
        "TRY: pausing after the question.\nSAY: Take your time.",
        "1. 4 - named it\n2. 3 - asked\n3. 2 - no\n4. 2 - no",
        "FELT: Heard.\nLANDED: The question.",
    )
    env = {**os.environ, "OLLAMA_HOST": double.url, "COACH_DATA_DIR": str(tmp_path / "d")}
    code = "from assistant.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "practice", "--scenario", "missed-deadlines"],
        input="Tuesday's extract came late.\nWhat got in the way?\n/debrief\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "DANIEL: I know it was late." in done.stdout
    assert "DANIEL: The second team, mostly." in done.stdout
    out = done.stdout
    # The debrief printed section by section, the measured counts first.
    assert out.index("(Your lines, counted:") < out.index("- It was specific.")
    assert out.index("- It was specific.") < out.index("> One thing you could try next time")
    assert out.index("Take your time.") < out.index("4/5") < out.index("  Heard.")
    chats = double.requests_for("/api/chat")
    # The counterpart's state note leads the first line, and stays: the second request
    # begins with the first one (the model's cache), then the reply and the new line.
    first, second = chats[0].body["messages"], chats[1].body["messages"]
    note, _, line = first[-1]["content"].rpartition("\n\n")
    assert line == "Tuesday's extract came late." and note.startswith("<counterpart-state>")
    assert second[: len(first)] == first
    assert person_words(second[-1]["content"]).startswith("What got in the way?")
    assert "  [open question · openness 5/10]" in done.stdout  # the line's live labels
