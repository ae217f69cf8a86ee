"""Start-up stays light: the library names its collections without building the embedding
function (which imports chromadb), the chat model is the real ChatOllama built on first use
(langchain is imported then), work deferred past the first page view still happens, and the
fast YAML path reads the library exactly like the pure-Python parser. Timings are in
bench/bench_cold_start.py, not here."""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
import yaml
from langchain_ollama import ChatOllama

from assistant.config import Settings
from assistant.knowledge import EmbeddingSpec, Library, MiniLMEmbedding, OllamaEmbedding, loader
from assistant.llm import DeferredChatModel, build_chat_model, warm_up
from assistant.serving import start_background_warm_up

ROOT = Path(__file__).resolve().parents[2]


def test_library_open_keeps_the_embedding_unbuilt_but_names_its_collections(tmp_path):
    library = Library.open(Settings(data_dir=tmp_path, embeddings="minilm"))

    assert isinstance(library._embedding, EmbeddingSpec)  # nothing built yet
    built = MiniLMEmbedding()
    assert library.library_name == f"coach-kb-{built.collection_slug}"
    assert library.status()["embeddings"]["name"] == built.collection_slug
    assert isinstance(library.embedding, MiniLMEmbedding)  # built on first use
    assert library.embedding is library.embedding  # once


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("minilm", MiniLMEmbedding()), ("ollama:bge-m3", OllamaEmbedding(model="bge-m3"))],
)
def test_a_spec_has_the_slug_of_the_function_it_builds(spec, expected):
    parsed = EmbeddingSpec.parse(spec)

    assert parsed.collection_slug == expected.collection_slug
    assert type(parsed.build()) is type(expected)


def test_an_unknown_embeddings_setting_is_refused_when_the_library_opens(tmp_path):
    with pytest.raises(ValueError, match="unknown embeddings setting 'word2vec'"):
        Library.open(Settings(data_dir=tmp_path, embeddings="word2vec"))


def test_the_fast_yaml_path_reads_the_library_like_the_python_parser(monkeypatch):
    fast, fast_problems = loader.load_entries(ROOT / "knowledge")
    monkeypatch.setattr(loader, "_FAST_LOADER", yaml.SafeLoader)
    slow, slow_problems = loader.load_entries(ROOT / "knowledge")

    assert len(fast) > 80
    assert fast == slow and fast_problems == slow_problems


def test_a_yaml_error_is_reported_with_the_python_parsers_line(tmp_path):
    path = tmp_path / "broken.en.md"  # libyaml would say line 5 here
    path.write_text("---\nid: broken\nlang: en\ntitle: [unclosed\n---\n", encoding="utf-8")

    problem = loader.load_entry(path)

    assert isinstance(problem, loader.LoadProblem)
    assert problem.line == 4 and "invalid YAML" in problem.message


def test_warm_up_runs_after_the_first_view_steps_first_then_niced_and_survives_failures():
    done: list[tuple[str, int]] = []
    finished, first_view = threading.Event(), threading.Event()

    def step(name: str) -> Callable[[], None]:
        def run() -> None:
            done.append((name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
            if name == "broken":
                raise RuntimeError("chromadb is missing")

        return run

    thread = start_background_warm_up(
        first_view,
        step("chat model"),
        step("broken"),
        niced=[step("embedding"), finished.set],
        wait=30,
    )

    assert not finished.wait(0.3) and done == []  # the page comes first
    first_view.set()
    assert finished.wait(5)
    thread.join(5)
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert done == [("chat model", base), ("broken", base), ("embedding", max(base, 10))]


def test_the_chat_model_is_built_on_first_use_as_the_real_chat_ollama(tmp_path):
    settings = Settings(
        data_dir=tmp_path, model="gemma3:4b", ollama_host="http://127.0.0.1:9", num_ctx=4096
    )
    deferred = DeferredChatModel(partial(build_chat_model, settings))

    assert repr(deferred) == "DeferredChatModel(not built yet)"
    assert deferred._chat_model is None  # serving the page builds nothing
    assert deferred.model == "gemma3:4b"  # any attribute builds it
    real = deferred.built()
    assert isinstance(real, ChatOllama)
    assert (real.base_url, real.num_ctx) == ("http://127.0.0.1:9", 4096)
    assert deferred.built() is real  # once
    assert deferred.bind(format="json").bound is real  # calls go to the real model


def test_the_chat_model_is_built_once_when_threads_race_for_it(tmp_path):
    deferred = DeferredChatModel(partial(build_chat_model, Settings(data_dir=tmp_path)))
    models: list[object] = []
    threads = [threading.Thread(target=lambda: models.append(deferred.built())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(models) == 4 and all(model is models[0] for model in models)


def test_warm_up_builds_a_deferred_chat_model_and_leaves_others_alone(tmp_path):
    deferred = DeferredChatModel(partial(build_chat_model, Settings(data_dir=tmp_path)))

    warm_up(deferred)
    warm_up(object())  # a chat model passed in ready-made: nothing to do

    assert isinstance(deferred._chat_model, ChatOllama)


def test_copying_a_deferred_chat_model_does_not_build_it(tmp_path):
    deferred = DeferredChatModel(partial(build_chat_model, Settings(data_dir=tmp_path)))

    copy.copy(deferred)

    assert deferred._chat_model is None
