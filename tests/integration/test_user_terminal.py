"""`coach user add` on a real pseudo-terminal: the password is asked twice and never echoed.

No Ollama is involved (no test double either); this lives here because it starts processes.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

from assistant.store import Store
from assistant.users import Accounts

PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]


def type_at_prompts(args: list[str], answers: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run `coach ARGS` on a real pseudo-terminal (getpass reads the terminal, not stdin),
    typing one answer after each prompt; returns the exit code and everything shown."""
    fd, terminal = pty.openpty()
    # subprocess (not pty.fork) is safe in a test process that runs threads; getpass then
    # reads the pseudo-terminal through stdin and turns its echo off there.
    child = subprocess.Popen(
        [sys.executable, "-c", "from assistant.cli import main; main()", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )
    os.close(terminal)
    shown, given = b"", 0
    while True:
        ready, _, _ = select.select([fd], [], [], 120)
        if not ready:  # a guard against hanging the suite, not a timing check
            child.kill()
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
        prompts = len(re.findall(rb"assword[^:\n]*: ", shown))
        while given < min(prompts, len(answers)):
            os.write(fd, answers[given].encode() + b"\n")
            given += 1
    code = child.wait()
    os.close(fd)
    return code, shown.decode(errors="replace")


def test_user_add_asks_twice_on_the_terminal_and_refuses_a_mismatch(tmp_path):
    data_store = Store(tmp_path / "data" / "coach.sqlite3")
    env = {"COACH_DATA_DIR": str(tmp_path / "data")}
    code, shown = type_at_prompts(["user", "add", "ann"], [PASSWORD, PASSWORD + "!"], env)
    assert code == 1 and "Password (again):" in shown and "differ" in shown, shown
    assert PASSWORD not in shown  # never echoed
    assert data_store.find_user("ann") is None
    code, shown = type_at_prompts(["user", "add", "ann"], [PASSWORD, PASSWORD], env)
    assert code == 0, shown
    assert Accounts(data_store).authenticate("ann", PASSWORD)
