"""Start-up stays light: the library names its collections without building the embedding
function (which imports chromadb), and the fast YAML path reads the library exactly like the
pure-Python parser. Timings are in bench/bench_cold_start.py, not here."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import yaml

from assistant.cli import start_background_warm_up
from assistant.config import Settings
from assistant.knowledge import EmbeddingSpec, Library, MiniLMEmbedding, OllamaEmbedding, loader

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


class LazyLibrary:
    def __init__(self) -> None:
        self.built = threading.Event()

    @property
    def embedding(self) -> object:
        self.built.set()
        return object()


def test_the_embedding_is_warmed_up_only_after_the_first_view():
    library, first_view = LazyLibrary(), threading.Event()
    thread = start_background_warm_up(library, first_view, wait=30)  # type: ignore[arg-type]

    assert not library.built.wait(0.3)  # the page comes first
    first_view.set()
    assert library.built.wait(5)
    thread.join(5)
