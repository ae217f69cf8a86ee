"""What `python app.py` imports before it serves: the page is built in a fresh interpreter (the
real services, the real Gradio Blocks, an empty data dir) and must not have pulled in Chroma,
the ONNX runtime, the tokenizer, BM25 or IPython, which only later work needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BUILD_PAGE = """
import json, runpy, sys
app = runpy.run_path("app.py")  # its module body, without serving
sys.meta_path.insert(0, app["WithoutIPython"]())  # what app.py does before serving
from assistant.cli import load_settings
from assistant.services import build_services
from assistant.ui import build_app
services = build_services(load_settings())
build_app(services)
heavy = ("chromadb", "onnxruntime", "tokenizers", "bm25s", "IPython")
print(json.dumps({
    "imported": sorted(name for name in heavy if name in sys.modules),
    "needs_ingest": services.library.needs_ingest(),
    "scenarios": len(services.library.entries("scenario")),
}))
"""


def test_building_the_page_imports_none_of_the_heavy_packages(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", BUILD_PAGE],
        cwd=ROOT,
        env={**os.environ, "COACH_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["imported"] == []
    assert report["needs_ingest"] is True  # an empty data dir: indexing still to come
    assert report["scenarios"] > 0  # the scenario lists were read for the page
