import gc
import os
import shutil
import sqlite3
import threading
from contextlib import closing, suppress
from pathlib import Path

import pytest

from assistant.errors import CoachError
from assistant.store import MIGRATIONS, Store


def test_migrations_are_recorded_and_idempotent(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    assert store.schema_version() == 0
    assert store.migrate() == len(MIGRATIONS)
    assert store.migrate() == len(MIGRATIONS)
    with sqlite3.connect(store.path) as db:
        names = [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY name")]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert names == [name for name, _ in MIGRATIONS]


def test_turns_keep_order_status_and_danish_text(store):
    user = store.user_id()
    session = store.create_session(user, mode="reflect", lang="da", system_prompt="SYS")
    store.add_turn(session.id, "assistant", "Hvad vil du tale om?")
    store.add_turn(session.id, "user", "Feedback til Søren – æøå 🙂")
    reply = store.add_turn(session.id, "assistant", "", status="streaming")
    store.save_partial(reply, "Det lyder")
    turns = store.turns(session.id)
    assert [(t.role, t.status) for t in turns] == [
        ("assistant", "complete"),
        ("user", "complete"),
        ("assistant", "streaming"),
    ]
    assert turns[1].text == "Feedback til Søren – æøå 🙂"
    assert turns[2].text == "Det lyder"
    store.finish_turn(reply, "Det lyder svært.", status="complete", prompt_tokens=10)
    assert store.turns(session.id)[2].prompt_tokens == 10


def test_recover_marks_streaming_replies_interrupted(store):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "hello")
    store.add_turn(session.id, "assistant", "partial", status="streaming")
    assert store.recover_interrupted() == 1
    assert store.turns(session.id)[-1].status == "interrupted"
    assert store.turns(session.id)[-1].text == "partial"


def test_supersede_sets_aside_replies_after_last_user_turn_only(store):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "assistant", "opening")
    assert store.supersede_trailing_replies(session.id) == 0  # no user turn yet: keep opening
    store.add_turn(session.id, "user", "hi")
    store.add_turn(session.id, "assistant", "half", status="interrupted")
    assert store.supersede_trailing_replies(session.id) == 1
    assert [t.text for t in store.turns(session.id)] == ["opening", "hi"]
    assert len(store.turns(session.id, include_superseded=True)) == 3


def test_sessions_are_scoped_to_their_user(store):
    alice, bob = store.user_id("alice"), store.user_id("bob")
    session = store.create_session(alice, mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "private")
    assert store.session(bob, session.id) is None
    assert store.sessions(bob) == []
    assert [s.user_turns for s in store.sessions(alice)] == [1]
    assert not store.delete_session(bob, session.id)
    assert store.delete_session(alice, session.id)
    assert store.turns(session.id) == []


@pytest.mark.sqlite_only
def test_read_only_database_gives_a_clear_message(store, monkeypatch):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.close()  # the next call opens a new connection, through the patched connect
    original_connect = sqlite3.connect

    def connect_read_only(path, *args, **kwargs):
        # Root ignores file permissions, so open the file read-only through SQLite's URI mode.
        return original_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect_read_only)
    with pytest.raises(CoachError) as caught:
        store.add_turn(session.id, "user", "hello")
    assert caught.value.code == "read_only"
    assert "COACH_DATA_DIR" in caught.value.en
    assert "skrivebeskyttet" in caught.value.da


def test_session_options_merge(store):
    session = store.create_session(
        store.user_id(), mode="reflect", lang="en", system_prompt="S", options={"variant": "open"}
    )
    assert store.update_options(session.id, stage="goal") == {"variant": "open", "stage": "goal"}
    assert store.session(store.user_id(), session.id).options["stage"] == "goal"


def open_handles(path):
    """How many file descriptors of this process point at ``path``, or at a file that was
    there and has been deleted or replaced since (Linux /proc)."""
    target = str(path.resolve())
    count = 0
    for fd in Path("/proc/self/fd").iterdir():
        with suppress(OSError):
            count += os.readlink(fd) in (target, f"{target} (deleted)")
    return count


@pytest.mark.sqlite_only
def test_calls_on_one_thread_reuse_one_connection_and_close_releases_it(store):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    with store._connect() as first:
        pass
    for text in ("one", "two", "three"):
        store.add_turn(session.id, "user", text)
        store.turns(session.id)
    with store._connect() as later:
        pass
    assert later is first
    assert open_handles(store.path) == 1

    store.close()
    assert open_handles(store.path) == 0
    assert [t.text for t in store.turns(session.id)] == ["one", "two", "three"]  # reopens


def test_a_dropped_store_releases_its_files_at_once(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    store.migrate()
    path = store.path
    assert open_handles(path) == 1
    gc.disable()  # not left to the garbage collector (sqlite3 connections are in cycles)
    try:
        del store
        assert open_handles(path) == 0
    finally:
        gc.enable()


@pytest.mark.sqlite_only
def test_threads_inside_the_store_at_the_same_time_get_their_own_connections(store):
    both_inside = threading.Barrier(2, timeout=30)
    used = []

    def read_sessions():
        with store._connect() as db:
            db.execute("SELECT COUNT(*) FROM sessions").fetchone()
            used.append(db)
            both_inside.wait()  # the other thread is inside the store now too

    threads = [threading.Thread(target=read_sessions) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(used) == 2 and used[0] is not used[1]
    assert open_handles(store.path) == 2
    store.user_id("after the threads")  # and the store goes on working with them pooled
    assert open_handles(store.path) == 2


def test_a_failed_call_is_rolled_back_and_its_connection_stays_usable(store):
    with pytest.raises(RuntimeError), store._connect() as db:
        db.execute("INSERT INTO users (name, created_at) VALUES ('ghost', 'now')")
        raise RuntimeError("something after the write failed")
    assert store.find_user("ghost") is None

    with pytest.raises(CoachError) as caught:
        store.add_turn(404, "user", "a turn for a session that does not exist")  # FOREIGN KEY
    assert caught.value.code == "storage"
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "after the errors")
    assert [t.text for t in store.turns(session.id)] == ["after the errors"]
    with store._connect() as db:
        assert not db.in_transaction


@pytest.mark.sqlite_only
def test_a_busy_database_is_reported_and_the_same_store_writes_once_the_lock_is_gone(store):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.busy_timeout_ms = 50  # changed after the store's connection was opened
    with store._connect() as db:
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 50
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(CoachError) as caught:
            store.add_turn(session.id, "user", "while locked")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert caught.value.code == "busy"
    store.add_turn(session.id, "user", "after the lock")
    assert [t.text for t in store.turns(session.id)] == ["after the lock"]


def test_a_store_call_inside_another_joins_its_transaction(store):
    with pytest.raises(RuntimeError), store._connect() as db:
        db.execute("INSERT INTO users (name, created_at) VALUES ('outer', 'now')")
        assert store.find_user("outer") is not None  # sees the uncommitted row, no deadlock
        store.user_id("inner")  # writes in the same transaction
        raise RuntimeError("the outer call fails")
    assert store.find_user("outer") is None and store.find_user("inner") is None


@pytest.mark.sqlite_only
def test_reads_see_what_other_connections_wrote_since(store):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "mine")
    assert len(store.turns(session.id)) == 1
    other = Store(store.path)
    other.add_turn(session.id, "assistant", "written by another connection")
    other.close()
    assert [t.text for t in store.turns(session.id)] == ["mine", "written by another connection"]


@pytest.mark.sqlite_only
def test_writes_follow_a_database_file_replaced_while_the_store_is_open(store, tmp_path):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "in the backup")
    backup = tmp_path / "backup.sqlite3"
    with closing(sqlite3.connect(store.path)) as source, closing(sqlite3.connect(backup)) as copy:
        source.backup(copy)
    replaced = os.stat(store.path).st_ino

    os.replace(backup, store.path)
    store.add_turn(session.id, "user", "after the file was replaced")
    assert os.stat(store.path).st_ino != replaced
    assert open_handles(store.path) == 1  # the old file's connection is closed, not reused
    assert Store(store.path).turns(session.id)[-1].text == "after the file was replaced"


@pytest.mark.sqlite_only
def test_closing_the_store_before_restoring_a_backup_reads_the_backup(store, tmp_path):
    """Replacing the file while connections are open is not safe (their WAL would be applied
    to the new file); after ``close`` it is, as with the app stopped."""
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "in the backup")
    backup = tmp_path / "backup.sqlite3"
    with closing(sqlite3.connect(store.path)) as source, closing(sqlite3.connect(backup)) as copy:
        source.backup(copy)
    store.add_turn(session.id, "user", "not in the backup")

    store.close()
    os.replace(backup, store.path)
    assert [t.text for t in store.turns(session.id)] == ["in the backup"]


@pytest.mark.sqlite_only
def test_a_deleted_data_dir_fails_clearly_instead_of_writing_into_the_deleted_file(store):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.turns(session.id)  # the store has an open connection to the file
    shutil.rmtree(store.path.parent)
    with pytest.raises(CoachError) as caught:
        store.add_turn(session.id, "user", "nowhere to go")
    assert caught.value.code == "cannot_open"
    assert "COACH_DATA_DIR" in caught.value.en and "COACH_DATA_DIR" in caught.value.da


def test_turns_come_back_with_every_field(store):
    session = store.create_session(store.user_id(), mode="rehearse", lang="en", system_prompt="S")
    first = store.add_turn(session.id, "user", "hi", author="swap")
    reply = store.add_turn(session.id, "assistant", "", status="streaming")
    store.finish_turn(
        reply, "hello", status="interrupted", error="timeout", prompt_tokens=7, completion_tokens=3
    )
    store.set_warning(reply, "broke character")
    turn = store.turns(session.id)[-1]
    assert (turn.id, turn.session_id, turn.role, turn.text, turn.status) == (
        reply,
        session.id,
        "assistant",
        "hello",
        "interrupted",
    )
    assert (turn.error, turn.prompt_tokens, turn.completion_tokens) == ("timeout", 7, 3)
    assert (turn.parent_id, turn.warning, turn.author) == (first, "broke character", None)
    assert turn.created_at <= turn.completed_at
    assert store.turns(session.id)[0].author == "swap"
    assert store.all_turns(session.id) == store.turns(session.id)
    assert store.branches(session.id) == [turn]


@pytest.mark.sqlite_only
def test_only_a_reply_placeholder_and_partial_text_skip_waiting_for_the_disk(store, monkeypatch):
    """The user's words are committed with synchronous = FULL (on disk when add_turn returns);
    the empty placeholder of a streaming reply and its partial saves with NORMAL; and the
    connection is back at FULL for whatever comes next."""
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.close()  # the next call opens a new connection, through the patched connect
    statements: list[str] = []
    original_connect = sqlite3.connect

    def traced_connect(*args, **kwargs):
        db = original_connect(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", traced_connect)

    def sync_level_of(marker: str) -> str:
        """The synchronous setting in force when the statement containing ``marker`` ran."""
        level = "FULL"  # set when the connection opened
        for statement in statements:
            if statement.startswith("PRAGMA synchronous = "):
                level = statement.rsplit(" ", 1)[1]
            elif marker in statement:
                return level
        raise AssertionError(f"no statement with {marker!r}")

    store.add_turn(session.id, "user", "my words")
    reply = store.add_turn(session.id, "assistant", "", status="streaming")
    store.save_partial(reply, "Partial answer")
    store.finish_turn(reply, "Partial answer, done.", status="complete")

    assert sync_level_of("'my words'") == "FULL"
    assert sync_level_of("'streaming'") == "NORMAL"
    assert sync_level_of("'Partial answer'") == "NORMAL"
    assert sync_level_of("'Partial answer, done.'") == "FULL"
    with store._connect() as db:
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert [t.text for t in store.turns(session.id)] == ["my words", "Partial answer, done."]


@pytest.mark.sqlite_only
def test_writers_in_one_process_take_turns_instead_of_meeting_sqlites_busy_handler(store):
    """With no busy timeout at all, a second writer would get "busy" at once while the first
    holds SQLite's write lock; the store's writer lock makes it wait its turn instead."""
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.busy_timeout_ms = 0
    holding, release = threading.Event(), threading.Event()

    def first_writer() -> None:
        with store._connect(write=True) as db:
            db.execute("UPDATE sessions SET title = 'first' WHERE id = ?", (session.id,))
            holding.set()
            release.wait(10)

    outcome: list[object] = []

    def second_writer() -> None:
        try:
            outcome.append(store.add_turn(session.id, "user", "second"))
        except CoachError as exc:
            outcome.append(exc.code)

    first = threading.Thread(target=first_writer)
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=second_writer)
    second.start()
    second.join(0.3)
    assert outcome == []  # still waiting for its turn, not failed with "busy"
    release.set()
    first.join(10)
    second.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], int), outcome
    assert [t.text for t in store.turns(session.id)] == ["second"]


@pytest.mark.sqlite_only
def test_resolving_an_existing_user_is_a_read_that_does_not_wait_for_a_writer(store, monkeypatch):
    """Every page event resolves its user: an existing user is found with a plain read, which
    never queues behind a reply's writes (it does not ask for the writer lock), and nothing is
    written for it. Checked by what it asks of the store, not by how long it takes."""
    alice = store.user_id("alice")
    statements: list[str] = []
    with store._connect() as db:  # the pooled connection user_id then reuses on this thread
        db.set_trace_callback(statements.append)
    connects: list[bool] = []
    real_connect = store._connect

    def connect(*args, **kwargs):
        connects.append(bool(kwargs.get("write", False)))
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(store, "_connect", connect)

    assert store.user_id("alice") == alice
    assert connects and not any(connects)  # no writer lock asked for
    assert statements and not [s for s in statements if not s.startswith("SELECT")]


def test_a_missing_user_is_created_once_even_when_two_threads_ask_at_once(store):
    ids: list[int] = []
    threads = [threading.Thread(target=lambda: ids.append(store.user_id("bob"))) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(ids) == 2 and ids[0] == ids[1] == store.find_user("bob")
    assert [name for name, _, _ in store.users()] == ["bob"]
