"""Two app processes starting together on one Chroma server (``COACH_CHROMA_URL``) and one
PostgreSQL database index the built-in library once: the second waits for the first (a lock
every process on the database sees) and then finds every file indexed, embedding nothing.

The two processes are two stores and two libraries here (each its own data dir, connections
and Chroma client, as two processes have); the Chroma server is a real ``chroma run``."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg

from assistant.knowledge import IngestReport, Library
from assistant.store.postgres_store import PostgresStore
from tests.reliability.test_chroma_server import chroma_url  # noqa: F401  (the fixture)
from tests.reliability.test_knowledge_rebuild import copy_library


def _library(root: Path, knowledge: Path, url: str, store: PostgresStore, embedding) -> Library:
    return Library(
        knowledge_dir=knowledge,
        chroma_dir=root / "chroma",
        uploads_dir=root / "uploads",
        embedding=embedding,
        chroma_url=url,
        exclusive=store.exclusive,
    )


def _waiting_on_a_lock(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()
    return bool(row and row[0])


def test_two_processes_starting_together_index_the_library_once(
    tmp_path,
    chroma_url,  # noqa: F811
    postgres,
    embedding,
):
    knowledge = copy_library(tmp_path / "knowledge")
    with postgres.schema() as url:
        stores = [PostgresStore(url), PostgresStore(url)]
        for store in stores:
            store.migrate()
        first, second = (
            _library(tmp_path / name, knowledge, chroma_url, store, embedding)
            for name, store in zip(("one", "two"), stores, strict=True)
        )
        indexing, go_on = threading.Event(), threading.Event()

        def held_mid_way(done: int, total: int) -> None:
            indexing.set()  # the first process is embedding: the collection is not full yet
            assert go_on.wait(120), "the test never let the first ingest go on"

        reports: dict[str, IngestReport] = {}
        errors: list[BaseException] = []

        def run(name: str, library: Library, progress=None) -> None:
            try:
                reports[name] = library.ingest(progress=progress)
            except BaseException as exc:  # reported in the test's thread below
                errors.append(exc)

        one = threading.Thread(target=run, args=("one", first, held_mid_way))
        one.start()
        assert indexing.wait(120), "the first ingest never began embedding"
        two = threading.Thread(target=run, args=("two", second))
        two.start()
        # Wait for a state: the second is waiting for the first's lock (or, without one, has
        # already done the whole ingest itself).
        while two.is_alive() and not _waiting_on_a_lock(url):
            time.sleep(0.05)
        go_on.set()
        one.join(120)
        two.join(120)
        for store in stores:
            store.close()
    assert not errors, errors
    total = reports["one"].chunks_embedded + reports["two"].chunks_embedded
    assert reports["one"].chunks_embedded > 0
    assert total == reports["one"].chunks_embedded, "the library was indexed twice"
    assert len(reports["two"].unchanged) == len(reports["one"].added) == 6
    assert second.store.count(second.library_name) == reports["one"].chunks_embedded
    assert second.search("GROW goal reality options", lang="en", k=3)[0].id == "grow-model"


def test_processes_sharing_a_data_dir_see_each_others_uploads_per_user(
    tmp_path,
    chroma_url,  # noqa: F811
    embedding,
):
    from tests.reliability.test_knowledge_rebuild import UPLOAD_TEXT

    knowledge = copy_library(tmp_path / "knowledge")
    shared = tmp_path / "shared-data"  # one COACH_DATA_DIR for both processes

    def open_one() -> Library:
        return Library(
            knowledge_dir=knowledge,
            chroma_dir=shared / "chroma",
            uploads_dir=shared / "uploads",
            embedding=embedding,
            chroma_url=chroma_url,
        )

    first, second = open_one(), open_one()
    first.ingest()
    assert second.search("GROW goal reality options", lang="en", k=1)[0].id == "grow-model"
    stored = first.add_upload("ann", "birgitte.md", UPLOAD_TEXT)
    assert first.uploads_name == second.uploads_name
    found = second.search("zebrafish quarterly review", user="ann", k=1)
    assert found and found[0].kind == "upload" and found[0].id == stored.name
    assert [u.name for u in second.list_uploads("ann")] == [stored.name]
    assert all(hit.kind != "upload" for hit in second.search("zebrafish", user="bob", k=5))
    assert second.list_uploads("bob") == []
