"""Cold start of `python app.py`: time to HTTP 200 on `/`, indexed and empty data dir.

Runs the real app as a subprocess (nothing is imported into this process except httpx and
gradio_client), each time on a fresh port, with ``OLLAMA_HOST`` pointing at a port that
accepts a connection and closes it at once (no Ollama: the page must load without it). The
first connection is the app asking Ollama to load the model as it starts
(``WarmUp.app_start``); the bench reports when it came, and how long before the page answered:
the head start a laptop's model load gets on the first page (bench_user_latency.py's
``--app-start``).

1. Indexed data dir: the built-in library is indexed once first (``Library.ingest``, what
   ``coach ingest`` runs), then the app is started ``--runs`` times; wall time from ``Popen`` to
   the first 200 on ``/``, and the CPU time the app used until then (less sensitive to other
   jobs on the machine than wall time).
2. Empty data dir (a new one per run): time to 200, and time until the background indexing of
   the built-in library has finished (the app logs ``Knowledge library indexed: ...`` then).
   Background indexing waits for the first page view (the page's load event), so right after
   the 200 the bench makes that view the way a browser does: it calls the page's load event
   through ``gradio_client``.
3. One more indexed start under ``python -X importtime``: the cumulative import time of the
   heavy packages, in the order the app first imports them (``-X importtime`` itself adds some
   overhead, so these add up to more than a plain start).
4. With ``--bytecode``, the indexed starts once more the way a normal install runs from its
   second start on: Python may cache compiled modules. Some machines (this one, many Docker
   images) set ``PYTHONDONTWRITEBYTECODE=1``, so every start compiles the app's own package
   from source (every installed package ships its compiled files); these runs unset it and
   point ``PYTHONPYCACHEPREFIX`` at a temporary directory (nothing is written into the tree),
   after one unmeasured start that fills that cache.

    python bench/bench_cold_start.py                  # 5 runs of each
    python bench/bench_cold_start.py --runs 3 --skip-empty --data-dir /tmp/coach-bench
    python bench/bench_cold_start.py --runs 5 --skip-empty --bytecode
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures.app_process import free_port, stop_process  # noqa: E402

INDEXED_LINE = "Knowledge library indexed:"
# Heavy packages the page does not need before it is served (reported when not imported).
HEAVY = (
    "chromadb",
    "onnxruntime",
    "tokenizers",
    "bm25s",
    "scipy",
    "pypdf",
    "IPython",
    "matplotlib",
    "ollama",
    "langchain_ollama",
    "langsmith",
)


class FirstContact:
    """A port standing in for Ollama: it accepts each connection and closes it at once (the
    app sees Ollama fail, as with none), noting when the first one came."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.first: float | None = None  # time.perf_counter() of the first connection
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return  # closed
            if self.first is None:
                self.first = time.perf_counter()
            connection.close()

    def close(self) -> None:
        self._socket.close()


@dataclass
class Started:
    """One app process, when it answered, and where its log goes."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path
    started: float
    ollama: FirstContact
    ready: float | None = None
    cpu: float | None = None  # CPU seconds (user + system, all threads) used until ready

    def stop(self) -> None:
        stop_process(self.process, timeout=15)
        self.ollama.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def app_env(
    data_dir: Path, port: int, bytecode_cache: Path | None = None, ollama: str | None = None
) -> dict[str, str]:
    """The app's environment: its own data dir and port, and an Ollama that is not there
    (``ollama``: a `FirstContact`'s URL; else a closed port).

    With ``bytecode_cache``, Python may cache compiled modules there (as a normal install does
    next to the sources), whatever ``PYTHONDONTWRITEBYTECODE`` this machine sets.
    """
    env = {
        **os.environ,
        "COACH_DATA_DIR": str(data_dir),
        "COACH_PORT": str(port),
        "OLLAMA_HOST": ollama or f"http://127.0.0.1:{free_port()}",
        "PYTHONUNBUFFERED": "1",
    }
    if bytecode_cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    return env


def start(
    data_dir: Path,
    log: Path,
    *python_flags: str,
    timeout: float = 300.0,
    bytecode_cache: Path | None = None,
) -> Started:
    """Start `python app.py` and wait for HTTP 200 on `/` (polling every 50 ms)."""
    port = free_port()
    handle = log.open("wb")
    ollama = FirstContact()
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *python_flags, "app.py"],
        cwd=ROOT,
        env=app_env(data_dir, port, bytecode_cache, ollama.url),
        stdout=handle,
        stderr=handle,
    )
    running = Started(process, f"http://127.0.0.1:{port}", log, began, ollama)
    deadline = began + timeout
    # A generous read timeout: on a loaded machine the first page render itself can take seconds.
    with httpx.Client(timeout=httpx.Timeout(60.0, connect=2.0)) as client:
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"app exited early:\n{running.output()}")
            try:
                if client.get(running.url + "/").status_code == 200:
                    running.ready = time.perf_counter()
                    running.cpu = cpu_seconds(process.pid)
                    return running
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    running.stop()
    raise RuntimeError(f"no HTTP 200 within {timeout} s:\n{running.output()}")


def first_view(url: str) -> None:
    """Do what a browser's first page view does server-side: run the page's load event."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    # The load event is the one whose trigger is the page itself ("load").
    config = client.config
    for index, dependency in enumerate(config["dependencies"]):
        if any(trigger[1] == "load" for trigger in dependency.get("targets", [])):
            fn_index = dependency.get("id", index)
            client.predict("en", fn_index=fn_index)
            return
    raise RuntimeError("the page has no load event")


INGEST = (
    "from assistant.config import Settings; from assistant.knowledge import Library; "
    "print(Library.open(Settings()).ingest().summary())"
)


def ingest(data_dir: Path) -> None:
    """What `coach ingest` does, into ``data_dir`` (no installed script needed)."""
    subprocess.run(
        [sys.executable, "-c", INGEST],
        cwd=ROOT,
        env=app_env(data_dir, free_port()),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_for_log(running: Started, needle: str, timeout: float = 300.0) -> float:
    """Seconds from process start until ``needle`` appears in the app's log."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if needle in running.output():
            return time.perf_counter() - running.started
        if running.process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"{needle!r} did not appear:\n{running.output()}")


def import_breakdown(log_text: str) -> tuple[list[tuple[str, float]], float]:
    """Import time per top-level package (the self time of all its modules, in seconds, so
    each module counts once, in its own package), largest first, and the total."""
    pattern = re.compile(r"^import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)$")
    totals: dict[str, float] = {}
    for line in log_text.splitlines():
        match = pattern.match(line)
        if match is not None:
            package = match.group(2).split(".")[0]
            totals[package] = totals.get(package, 0.0) + int(match.group(1)) / 1e6
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return ranked, sum(totals.values())


def summary(values: list[float]) -> str:
    return (
        f"{statistics.median(values):6.2f} | {min(values):6.2f} | {max(values):6.2f} | "
        + " ".join(f"{v:.2f}" for v in values)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-empty", action="store_true", help="only the indexed data dir")
    parser.add_argument(
        "--empty-runs", type=int, help="runs on an empty data dir (default: --runs)"
    )
    parser.add_argument("--skip-imports", action="store_true", help="no -X importtime run")
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="also time indexed starts with Python's bytecode cache allowed (in a temporary "
        "PYTHONPYCACHEPREFIX), as a normal install runs from its second start on",
    )
    parser.add_argument("--top", type=int, default=15, help="packages in the import table")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="indexed data dir to reuse (ingested first if needed; default: a temporary one)",
    )
    args = parser.parse_args()

    rows: list[tuple[str, list[float]]] = []
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="coach-cold-") as tmp:
        work = Path(tmp)
        indexed = args.data_dir or work / "indexed"
        print("indexing the built-in library once (Library.ingest) ...", flush=True)
        ingest(indexed)

        def indexed_starts(label: str, bytecode_cache: Path | None = None) -> None:
            ready: list[float] = []
            ready_cpu: list[float] = []
            head_start: list[float] = []
            for run in range(args.runs):
                log = work / f"{label.replace(' ', '-')}-{run}.log"
                running = start(indexed, log, bytecode_cache=bytecode_cache)
                running.stop()
                assert running.ready is not None
                ready.append(running.ready - running.started)
                ready_cpu.append(running.cpu or 0.0)
                asked = running.ollama.first
                if asked is not None:
                    head_start.append(running.ready - asked)
                print(
                    f"  {label} run {run + 1}: HTTP 200 after {ready[-1]:.2f} s "
                    f"({ready_cpu[-1]:.2f} CPU s); the model's load asked "
                    + (f"{head_start[-1]:.2f} s before" if asked is not None else "never"),
                    flush=True,
                )
                if INDEXED_LINE in running.output():
                    print("  WARNING: the app re-indexed an indexed data dir", flush=True)
            rows.append((f"{label}: start -> HTTP 200", ready))
            rows.append((f"{label}: CPU seconds until HTTP 200", ready_cpu))
            if head_start:
                rows.append((f"{label}: model load asked -> HTTP 200", head_start))

        indexed_starts("indexed data dir")
        if args.bytecode:
            cache = work / "pycache"
            print("filling the bytecode cache (one unmeasured start) ...", flush=True)
            start(indexed, work / "bytecode-fill.log", bytecode_cache=cache).stop()
            indexed_starts("indexed, bytecode cached", cache)

        if not args.skip_empty:
            empty_ready: list[float] = []
            empty_cpu: list[float] = []
            indexed_done: list[float] = []
            for run in range(args.empty_runs or args.runs):
                running = start(work / f"empty-{run}", work / f"empty-{run}.log")
                try:
                    assert running.ready is not None
                    empty_ready.append(running.ready - running.started)
                    empty_cpu.append(running.cpu or 0.0)
                    first_view(running.url)
                    indexed_done.append(wait_for_log(running, INDEXED_LINE))
                finally:
                    running.stop()
                print(
                    f"  empty run {run + 1}: HTTP 200 after {empty_ready[-1]:.2f} s, "
                    f"library indexed after {indexed_done[-1]:.2f} s",
                    flush=True,
                )
            rows.append(("empty data dir: start -> HTTP 200", empty_ready))
            rows.append(("empty data dir: CPU seconds until HTTP 200", empty_cpu))
            rows.append(("empty data dir: start -> library indexed", indexed_done))

        breakdown: list[tuple[str, float]] = []
        total_import = 0.0
        if not args.skip_imports:
            running = start(indexed, work / "importtime.log", "-X", "importtime")
            running.stop()
            breakdown, total_import = import_breakdown(running.output())

    load = os.getloadavg()[0]
    print(
        f"\nCold start (seconds; 1-minute load {load_at_start:.1f} at the start, {load:.1f} at "
        f"the end; {os.cpu_count()} CPUs)\n"
    )
    print("| case | median | min | max | runs |")
    print("|---|---:|---:|---:|---|")
    for name, values in rows:
        print(f"| {name} | " + summary(values).replace(" | ", " | ", 3) + " |")
    if breakdown:
        print(
            f"\nImports until HTTP 200 (python -X importtime, indexed data dir; "
            f"{total_import:.2f} s in all, which -X importtime inflates): self time of each "
            "package's modules\n"
        )
        print("| package | seconds |")
        print("|---|---:|")
        for name, value in breakdown[: args.top]:
            print(f"| {name} | {value:.2f} |")
        found = dict(breakdown)
        heavy = [f"{name} {found[name]:.2f} s" if name in found else f"{name} -" for name in HEAVY]
        print(f"\nPackages the page does not need ('-' = not imported): {', '.join(heavy)}")


if __name__ == "__main__":
    main()
