"""Scale: 1 vs 3 app processes on one PostgreSQL database behind a sticky proxy.

    python bench/bench_scale.py                        # 60 sessions, 1 and 3 processes
    python bench/bench_scale.py --sessions 60 --processes 1,3 --rounds 2

Starts a throwaway PostgreSQL server (tests/fixtures/postgres.py), the Ollama HTTP double
(tests/fixtures/ollama_double.py; it serves every request at once, at ``--token-delay`` per
token), N ``python app.py`` processes with ``COACH_DATABASE_URL`` set, and the sticky proxy
(bench/sticky_proxy.py) in front of them. ``--sessions`` clients (each its own browser session,
speaking the page's queue protocol) send one reflect message at the same instant per round.
Every message carries its session's tag and the double echoes it, so each client checks that
its reply is its own (no cross-talk). Added latency = the client's time from submit to the
final output minus the double's own time for the reply (its chunks x ``--token-delay``).

CPU per part is the user + system time each part used during the rounds (from /proc): the
app processes together, the proxy, the PostgreSQL server (every process of its user), and
this process (the double and the 60 clients).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._burst import Tally, burst, report  # noqa: E402
from bench.common import machine, start_app  # noqa: E402
from bench.queue_client import QueueClient  # noqa: E402
from tests.fixtures.app_process import free_port, stop_process  # noqa: E402
from tests.fixtures.ollama_double import OllamaDouble  # noqa: E402
from tests.fixtures.postgres import postgres_server  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def pids_of_user(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def postgres_cpu(root: Path) -> float:
    """CPU seconds of the test server's processes (those whose command line names its dir)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            uid = entry.stat().st_uid
        except OSError:
            continue
        if str(root).encode() in cmdline or (b"postgres:" in cmdline and uid != 0):
            total += cpu_seconds(int(entry.name))
    return total


def self_cpu() -> float:
    times = os.times()
    return times.user + times.system


def message(tag: str) -> str:
    """A session's reflect message, led by its tag."""
    return f"{tag} needs a word."


def start_proxy(backends: list[str]) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    command = [sys.executable, str(ROOT / "bench" / "sticky_proxy.py"), "--port", str(port)]
    for backend in backends:
        command += ["--backend", backend]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    ready = json.loads(process.stdout.readline())["ready"]
    return process, ready


def run_setup(
    processes: int, sessions: int, rounds: int, token_delay: float, server: Any
) -> list[Any]:
    """N app processes behind the proxy; returns the table row."""
    from gradio_client import Client

    with OllamaDouble(token_delay=token_delay) as double, server.schema() as url:
        base = Path(tempfile.mkdtemp(prefix="coach-bench-scale-"))
        env = {"COACH_DATABASE_URL": url, "COACH_CHAT_CONCURRENCY": str(max(4, sessions))}
        apps = [start_app(double.url, base / f"data{i}", **env) for i in range(processes)]
        proxy, proxy_url = start_proxy([app.url for app in apps])
        try:
            Client(proxy_url, verbose=False).predict("Warming up.", "en", api_name="/send")
            clients = [QueueClient(Client(proxy_url, verbose=False)) for _ in range(sessions)]
            for client in clients:  # each process builds its chat model on its first turn
                list(client.stream("/send", "Warming up.", "en"))
            tally = Tally()
            cpu_before = (
                sum(cpu_seconds(app.process.pid) for app in apps),
                cpu_seconds(proxy.pid),
                postgres_cpu(server.root),
                self_cpu(),
            )
            for round_ in range(rounds):
                burst(clients, round_, message, double, token_delay, tally)
            cpu_after = (
                sum(cpu_seconds(app.process.pid) for app in apps),
                cpu_seconds(proxy.pid),
                postgres_cpu(server.root),
                self_cpu(),
            )
        finally:
            stop_process(proxy, timeout=5)  # type: ignore[arg-type]
            for app in apps:
                app.stop()
    cpu = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
    return [processes, *tally.cells(), " / ".join(f"{value:.1f}" for value in cpu)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--processes", default="1,3")
    parser.add_argument("--token-delay", type=float, default=0.02)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print("Ollama: the HTTP double, not a real model; PostgreSQL: a throwaway local server\n")
    with postgres_server() as server:
        rows = [
            run_setup(int(n), args.sessions, args.rounds, args.token_delay, server)
            for n in args.processes.split(",")
            if n
        ]
    report(
        ["app processes"],
        ["CPU s: apps / proxy / PostgreSQL / bench (double + clients)"],
        rows,
        sessions=args.sessions,
        rounds=args.rounds,
        token_delay=args.token_delay,
        route=" through the sticky proxy",
    )


if __name__ == "__main__":
    main()
