"""What the turn, prefix, concurrency and memory benchmarks share.

Every benchmark here talks to the Ollama HTTP double (tests/fixtures/ollama_double.py), a real
HTTP server speaking Ollama's REST API: no real Ollama or model runs on the benchmark machine,
so the figures measure the app's own overhead, never model speed or quality.
"""

from __future__ import annotations

import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile (linear interpolation; the value itself for one sample)."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1])


def machine() -> str:
    """CPU model, cores, Python and the 1-minute load average, for the figures' caption."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {load:.1f} (1 min)"
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table (pasteable into the README as printed)."""

    def cell(value: Any) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AppProcess:
    """`python app.py` started by a benchmark, pointed at the double."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """Terminate the app (kill it if it does not exit in 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rss_mb(self) -> float:
        """The app process's resident set size in MB (from /proc)."""
        return rss_mb(self.process.pid)


def rss_mb(pid: int | None = None) -> float:
    """Resident set size of a process (default: this one) in MB, read from /proc."""
    status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


LAUNCH_WRAPPER = """
import os, runpy, sys
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
import gradio
original = gradio.Blocks.launch
def launch(self, *args, **kwargs):
    kwargs.update({overrides!r})
    return original(self, *args, **kwargs)
gradio.Blocks.launch = launch
sys.argv = ["app.py"]
runpy.run_path("app.py", run_name="__main__")
"""


def start_app(
    ollama_url: str,
    data_dir: Path | None = None,
    *,
    launch_overrides: dict[str, Any] | None = None,
    **env: str,
) -> AppProcess:
    """Start `python app.py` against ``ollama_url`` and wait until its page answers 200.

    ``launch_overrides`` (e.g. ``{"state_session_capacity": 64}``) are passed to Gradio's
    ``Blocks.launch`` by a small wrapper around app.py, to try a launch setting without
    changing the app.
    """
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="coach-bench-"))
    port = free_port()
    log = data_dir.parent / f"app-{port}.log"
    environment = {
        **os.environ,
        "COACH_DATA_DIR": str(data_dir),
        "COACH_PORT": str(port),
        "OLLAMA_HOST": ollama_url,
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    handle = log.open("wb")
    command = [sys.executable, "app.py"]
    if launch_overrides:
        command = [sys.executable, "-c", LAUNCH_WRAPPER.format(overrides=launch_overrides)]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=handle, stderr=handle)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return AppProcess(url, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"app did not start in time:\n{log.read_text(errors='replace')}")


def chat_text(message: dict[str, Any]) -> str:
    """The text of one Gradio chat message (Gradio 6 sends content as a list of parts)."""
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")
