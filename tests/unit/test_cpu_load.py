"""scripts/cpu_load.py: the burners run while the command runs, the script returns the
command's exit code, and no burner outlives it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "cpu_load.py"
# Run under the script: list this process's siblings (the burners), then exit with 3.
SIBLINGS = (
    "import os, sys; parent = os.getppid(); "
    "kids = open(f'/proc/{parent}/task/{parent}/children').read().split(); "
    "print(' '.join(k for k in kids if int(k) != os.getpid())); sys.exit(3)"
)


def test_the_command_runs_under_the_burners_and_its_exit_code_is_returned():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--burners", "2", "--", sys.executable, "-c", SIBLINGS],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    burners = done.stdout.split()
    assert len(burners) == 2, done.stdout
    for pid in burners:  # ended and reaped before the script returned
        assert not Path(f"/proc/{pid}").exists(), pid


def test_a_shell_chain_after_the_separator_keeps_its_exit_code():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--burners", "1", "--", "true && exit 5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 5, done.stderr
    assert "1 burner(s) running" in done.stderr
