"""``COACH_CHROMA_URL``: the library lives on a real Chroma server (``chroma run``, started here on
127.0.0.1) instead of the embedded directory; ingest, uploads, search and repair work through it."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.knowledge import Library
from assistant.knowledge.store import CHROMA_DB_NAME
from tests.fixtures.app_process import free_port
from tests.reliability.test_knowledge_rebuild import UPLOAD_TEXT, copy_library

CHROMA = shutil.which("chroma")


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A real Chroma server (the `chroma` CLI of the installed chromadb) on a free port."""
    if CHROMA is None:
        pytest.skip("the `chroma` command (installed with chromadb) is not on PATH")
    port = free_port()
    log = (tmp_path / "chroma-server.log").open("wb")
    server = subprocess.Popen(
        [CHROMA, "run", "--path", str(tmp_path / "server"), "--port", str(port)]
        + ["--host", "127.0.0.1"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(300):  # wait until it answers (a few seconds at most)
            if server.poll() is not None:
                pytest.fail(f"chroma run exited: {(tmp_path / 'chroma-server.log').read_text()}")
            try:
                chromadb.HttpClient(
                    host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
                ).heartbeat()
                break
            except Exception:
                time.sleep(0.1)
        else:
            pytest.fail("chroma run did not answer within 30 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(20)
        log.close()


def test_the_library_works_through_a_chroma_server(tmp_path, chroma_url, monkeypatch):
    copy_library(tmp_path / "knowledge")
    monkeypatch.setenv("COACH_CHROMA_URL", chroma_url)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge")
    assert settings.chroma_url == chroma_url
    library = Library.open(settings)

    report = library.ingest()
    assert len(report.added) == 6 and not report.problems
    stored = library.add_upload("ann", "birgitte.md", UPLOAD_TEXT)

    # The chunks are on the server, and nothing was written to an embedded store.
    server = chromadb.HttpClient(
        host="127.0.0.1",
        port=int(chroma_url.rsplit(":", 1)[1]),
        settings=ChromaSettings(anonymized_telemetry=False),
    )
    names = {c.name for c in server.list_collections()}
    assert {library.library_name, library.uploads_name} <= names
    assert server.get_collection(library.library_name).count() == report.chunks_embedded
    assert not (settings.chroma_dir / CHROMA_DB_NAME).exists()

    hits = library.search("situation behaviour impact", lang="en", k=3)
    assert hits[0].id == "sbi-feedback"
    mine = library.search("zebrafish quarterly review", user="ann", k=3)
    assert mine[0].kind == "upload" and mine[0].id == stored.name
    assert not library.needs_ingest() and library.index_problem(deep=True) is None

    # A second app instance (another machine of the team) finds the same library index on the
    # server, but neither sees nor (syncing its own uploads) removes the first one's uploads.
    other = Library.open(settings.model_copy(update={"data_dir": tmp_path / "other"}))
    assert other.uploads_name != library.uploads_name
    assert other.needs_ingest()
    again = other.ingest()
    assert again.chunks_embedded == 0 and len(again.unchanged) == 6
    assert other.search("GROW goal reality options", lang="en", k=3)[0].id == "grow-model"
    assert all(hit.kind != "upload" for hit in other.search("zebrafish", user="ann", k=5))
    assert library.search("zebrafish quarterly review", user="ann", k=1)[0].id == stored.name

    # A collection dropped on the server is noticed and rebuilt, uploads included.
    server.delete_collection(library.uploads_name)
    assert library.index_problem(deep=True) == "collection-missing"
    library.ingest()
    assert library.indexing.reason == "collection-missing"
    assert library.search("zebrafish quarterly review", user="ann", k=1)[0].id == stored.name


def test_an_unreachable_chroma_server_gives_a_clear_message(tmp_path, embedding):
    copy_library(tmp_path / "knowledge")
    library = Library(
        knowledge_dir=tmp_path / "knowledge",
        chroma_dir=tmp_path / "data" / "chroma",
        uploads_dir=tmp_path / "data" / "uploads",
        embedding=embedding,
        chroma_url=f"http://127.0.0.1:{free_port()}",
    )
    for attempt in (lambda: library.search("feedback"), library.ingest):
        with pytest.raises(CoachError) as caught:
            attempt()
        assert caught.value.code == "chroma_unreachable"
        assert "COACH_CHROMA_URL" in caught.value.en and "Chroma-serveren" in caught.value.da
    assert not (tmp_path / "data" / "chroma" / CHROMA_DB_NAME).exists()
