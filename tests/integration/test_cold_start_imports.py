"""What `python app.py` imports before it serves: the page is built in a fresh interpreter (the
real services, the real Gradio Blocks, an empty data dir, app.py's import hooks) and must not
have pulled in Chroma, the ONNX runtime, the tokenizer, BM25, IPython, the ollama client,
langchain-ollama or langsmith (langchain's prompt and model layers), which only later work
needs; Gradio's editor-stub writer must not have run; and the real ChatOllama is still what a
turn gets (built on first use)."""

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
app["install_import_hooks"]()  # what app.py does before serving
from assistant.serving import load_settings
from assistant.services import build_services
from assistant.ui import build_app
settings = load_settings()
services = build_services(settings)
demo = build_app(services)
heavy = (
    "chromadb", "onnxruntime", "tokenizers", "bm25s", "IPython", "ollama", "langchain_ollama",
    "langsmith",
)
imported = sorted(name for name in heavy if name in sys.modules)
import gradio.component_meta
chat_model = services.conversation.chat_model
print(json.dumps({
    "imported": imported,
    "needs_ingest": services.library.needs_ingest(),
    "scenarios": len(services.library.entries("scenario")),
    "stub_writer": gradio.component_meta.create_or_modify_pyi.__name__,
    "components": len(demo.blocks),
    "concurrency": [demo._queue.default_concurrency_limit, settings.chat_concurrency],
    "chat_model_built_at_start": chat_model._chat_model is not None,
    "chat_model": type(chat_model.built()).__name__,
    "chat_model_settings": [chat_model.model, chat_model.base_url, chat_model.num_ctx],
    "settings": [settings.model, settings.ollama_host, settings.num_ctx],
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
    assert report["stub_writer"] == "_write_no_stubs"  # Gradio's .pyi rewriting was skipped
    assert report["components"] > 100  # ... and the whole page was still built
    concurrency, configured = report["concurrency"]
    assert concurrency == configured  # the queue's limit is still the configured one
    assert report["chat_model_built_at_start"] is False
    assert report["chat_model"] == "ChatOllama"  # what the first turn gets
    assert report["chat_model_settings"] == report["settings"]
