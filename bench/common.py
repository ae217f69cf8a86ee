"""What the turn, prefix, concurrency and memory benchmarks share.

Every benchmark here talks to the Ollama HTTP double (tests/fixtures/ollama_double.py), a real
HTTP server speaking Ollama's REST API: no real Ollama or model runs on the benchmark machine,
so the figures measure the app's own overhead, never model speed or quality.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures.app_process import RunningApp  # noqa: E402
from tests.fixtures.app_process import start_app as start_app_process  # noqa: E402


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


def add_client_option(parser: Any, default: str) -> None:
    """``--client``: who times the app, "browser" (bench/queue_client.py: Gradio's queue protocol
    as the page speaks it), "gradio_client" (which adds its own latency, see queue_client.py) or
    "both"."""
    parser.add_argument(
        "--client",
        choices=("browser", "gradio_client", "both"),
        default=default,
        help="the page's queue protocol (bench/queue_client.py), gradio_client (which adds a "
        "fresh HTTP client per submit and 50 ms polling), or both",
    )


def clients(choice: str) -> tuple[str, ...]:
    """The clients a ``--client`` choice stands for."""
    return ("browser", "gradio_client") if choice == "both" else (choice,)


def start_app(
    ollama_url: str,
    data_dir: Path | None = None,
    *,
    launch_overrides: dict[str, Any] | None = None,
    **env: str,
) -> RunningApp:
    """Start `python app.py` against ``ollama_url`` and wait until its page answers 200.

    ``launch_overrides`` (e.g. ``{"state_session_capacity": 64}``) are passed to Gradio's
    ``Blocks.launch`` by a small wrapper around app.py, to try a launch setting without
    changing the app.
    """
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="coach-bench-")) / "data"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    command = ["app.py"]
    if launch_overrides:
        command = ["-c", LAUNCH_WRAPPER.format(overrides=launch_overrides)]
    return start_app_process(
        data_dir, ollama_url, data_dir.parent, command=command, timeout=120, **env
    )


def chat_text(message: dict[str, Any]) -> str:
    """The text of one Gradio chat message (Gradio 6 sends content as a list of parts)."""
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")
