"""A missing or damaged Chroma index is found at start and rebuilt, with visible progress, from
the library files and the stored originals of the user's uploads (real Chroma, real MiniLM)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.config import PROJECT_ROOT
from assistant.knowledge import Library, MiniLMEmbedding
from assistant.knowledge.store import CHROMA_DB_NAME
from assistant.serving import start_background_ingest
from assistant.ui.knowledge_tab import indexing_note
from tests.integration.test_knowledge_store import cli_app

# A few real library files (both languages), so every rebuild takes seconds, not half a minute.
LIBRARY_FILES = (
    "frameworks/sbi-feedback.en.md",
    "frameworks/sbi-feedback.da.md",
    "frameworks/grow-model.en.md",
    "frameworks/grow-model.da.md",
    "strategies/active-listening.en.md",
    "strategies/active-listening.da.md",
)
UPLOAD_NAME = "Ann's notes.md"
UPLOAD_TEXT = (
    b"# Quarterly review with Birgitte\n\n"
    b"Birgitte keeps postponing the quarterly review of the zebrafish project. "
    b"I want to name the pattern and ask what gets in the way.\n"
)


def copy_library(root: Path) -> Path:
    for name in LIBRARY_FILES:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_ROOT / "knowledge" / name, target)
    return root


def open_library(tmp_path: Path, embedding: MiniLMEmbedding) -> Library:
    """What app start builds (``Library.open`` with the same layout, a smaller library)."""
    data = tmp_path / "data"
    return Library(
        knowledge_dir=tmp_path / "knowledge",
        chroma_dir=data / "chroma",
        uploads_dir=data / "uploads",
        embedding=embedding,
    )


def stop(library: Library) -> None:
    """End of the process: Chroma lets go of its files."""
    library.store.client.close()  # type: ignore[attr-defined]


def delete_directory(library: Library) -> None:
    shutil.rmtree(library.chroma_dir)


def delete_database(library: Library) -> None:
    (library.chroma_dir / CHROMA_DB_NAME).unlink()


def corrupt_database(library: Library) -> None:
    (library.chroma_dir / CHROMA_DB_NAME).write_bytes(b"this is not a database " * 400)


def drop_collection(library: Library) -> None:
    library.store.client.delete_collection(library.library_name)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (delete_directory, None),  # the manifest went with it: an ordinary full ingest
        (delete_database, "missing"),
        (corrupt_database, "corrupted"),
        (drop_collection, "collection-missing"),
    ],
)
def test_a_damaged_index_is_rebuilt_at_start_with_progress_and_uploads_come_back(
    tmp_path, embedding, capfd, damage, reason
):
    copy_library(tmp_path / "knowledge")
    first = open_library(tmp_path, embedding)
    first.ingest()
    stored = first.add_upload("ann", UPLOAD_NAME, UPLOAD_TEXT)
    chunks = first.store.count(first.library_name)
    original = first.uploads_dir / "ann" / stored.name
    assert original.read_bytes() == UPLOAD_TEXT  # the original is kept, per user, in the data dir
    if damage is drop_collection:
        damage(first)
        stop(first)
    else:
        stop(first)
        damage(first)
    capfd.readouterr()

    library = open_library(tmp_path, embedding)  # the app starts again
    assert library.index_problem() == reason
    assert library.needs_ingest()
    notes: list[tuple[str, str, str]] = []
    library.indexing.log = lambda line: notes.append(
        (line, indexing_note(library, "en"), indexing_note(library, "da"))
    )
    thread = start_background_ingest(library, None, wait=0)
    assert thread is not None
    thread.join(240)
    assert not thread.is_alive()

    lines = [line for line, _, _ in notes]
    if reason:
        assert lines[0].startswith(f"Knowledge index {reason.replace('-', ' ')}: rebuilding")
        assert any(
            line == f"Rebuilding the knowledge index: {chunks}/{chunks} chunks" for line in lines
        )
        english, danish = notes[1][1], notes[1][2]
        assert "being rebuilt" in english and f"of {chunks} passages" in english
        assert "bygges nu op igen" in danish and f"af {chunks} afsnit" in danish
    else:
        assert f"Indexing the knowledge index: {chunks}/{chunks} chunks" in lines
        assert "being indexed" in notes[-1][1] and "indekseres" in notes[-1][2]
    assert "Knowledge library indexed: added 6" in capfd.readouterr().err
    assert library.indexing.state == "done" and indexing_note(library, "en") == ""

    assert not library.needs_ingest() and library.index_problem(deep=True) is None
    assert library.store.count(library.library_name) == chunks
    assert [u.name for u in library.list_uploads("ann")] == [stored.name]
    assert original.read_bytes() == UPLOAD_TEXT
    hits = library.search("zebrafish quarterly review Birgitte", user="ann", k=3)
    assert hits[0].kind == "upload" and hits[0].id == stored.name
    assert library.search("situation behaviour impact feedback", lang="en", k=3)[0].id == (
        "sbi-feedback"
    )


def test_a_collection_emptied_behind_the_apps_back_is_found_by_the_deep_check(tmp_path, embedding):
    copy_library(tmp_path / "knowledge")
    library = open_library(tmp_path, embedding)
    library.ingest()
    collection = library.store.collection(library.library_name)
    collection.delete(ids=collection.get()["ids"][:3])

    assert library.index_problem() is None  # the cheap start check cannot see inside Chroma
    assert library.index_problem(deep=True) == "count-mismatch"
    report = library.ingest()  # `coach ingest` (and the next background ingest) rebuild it
    assert library.indexing.reason == "count-mismatch" and report.added
    assert library.index_problem(deep=True) is None


def test_coach_ingest_repairs_a_corrupted_index_and_says_so(tmp_path, embedding):
    copy_library(tmp_path / "knowledge")
    library = open_library(tmp_path, embedding)
    library.ingest()
    stop(library)
    corrupt_database(library)

    app = cli_app(tmp_path, tmp_path / "knowledge")
    result = CliRunner().invoke(app, ["ingest"])
    assert result.exit_code == 0, result.output
    assert "Knowledge index corrupted: rebuilding it from the library" in result.stderr
    assert "added 6" in result.stdout

    with sqlite3.connect(library.chroma_dir / CHROMA_DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
