"""Keep every CPU core busy, to run the test suite on a loaded machine (issue #15, item 8).

    python scripts/cpu_load.py                      # burn until Ctrl-C
    python scripts/cpu_load.py --seconds 60         # burn for a minute
    python scripts/cpu_load.py -- python -m pytest  # burn while a command runs; its exit code

One burner process per core (``--burners N`` to choose), each a tight arithmetic loop at normal
priority. With a command after ``--``, the burners run exactly as long as the command and the
script exits with the command's exit code, so it fits into ``&&`` chains and CI steps. Every
burner is ended when the script ends, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence


def burn() -> None:
    """Spin forever (until the parent terminates this process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent ends burners itself
    value = 0
    while True:
        value = (value * 1_103_515_245 + 12_345) % 2_147_483_648


def start_burners(count: int) -> list[multiprocessing.Process]:
    """Start ``count`` burner processes and return them."""
    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(count)]
    for burner in burners:
        burner.start()
    return burners


def stop_burners(burners: Sequence[multiprocessing.Process]) -> None:
    """End every burner and wait for it."""
    for burner in burners:
        burner.terminate()
    for burner in burners:
        burner.join()


def main(argv: Sequence[str] | None = None) -> int:
    """Burn, optionally while running a command; returns the command's exit code (or 0)."""
    args = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if "--" in args:
        split = args.index("--")
        args, command = args[:split], args[split + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burners", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    options = parser.parse_args(args)
    burners = start_burners(max(1, options.burners))
    print(  # noqa: T201 (a script's own output)
        f"cpu_load: {len(burners)} burner(s) running", file=sys.stderr, flush=True
    )
    try:
        if command:
            # A shell for `a && b` chains; the burners' load is what the command sees.
            shell = len(command) == 1
            return subprocess.run(command[0] if shell else command, shell=shell).returncode
        if options.seconds is not None:
            time.sleep(options.seconds)  # the load's own duration, not a test's wait
        else:
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        return 130
    finally:
        stop_burners(burners)
    return 0


if __name__ == "__main__":
    sys.exit(main())
