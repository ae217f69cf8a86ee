import sqlite3

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


def test_read_only_database_gives_a_clear_message(store, monkeypatch):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
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
