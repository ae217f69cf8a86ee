"""The store on both backends: what the PostgreSQL half adds to test_store.py (which runs
on both), and the choice of backend from the settings."""

from __future__ import annotations

import threading

import pytest
from pydantic import ValidationError

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.store import MIGRATIONS, Store, migrations
from assistant.store.backends import open_store


def test_a_migration_written_the_sqlite_way_runs_on_both_backends(store, monkeypatch):
    """Another branch adds a migration as ``@migration def m0NN_...(db)`` with a plain ALTER
    TABLE; it has to work as written on SQLite and PostgreSQL alike."""

    def m999_turn_notes(db) -> None:
        db.execute("ALTER TABLE turns ADD COLUMN note TEXT")
        db.executescript(
            "CREATE TABLE turn_flags (id INTEGER PRIMARY KEY, turn_id INTEGER NOT NULL "
            "REFERENCES turns(id) ON DELETE CASCADE, flag TEXT NOT NULL, raw BLOB, score REAL);"
        )

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*MIGRATIONS, ("m999_turn_notes", m999_turn_notes)]
    )
    assert store.migrate() == len(MIGRATIONS) + 1
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    turn = store.add_turn(session.id, "user", "hello")
    with store._connect(write=True) as db:
        db.execute("UPDATE turns SET note = ? WHERE id = ?", ("noted", turn))
        flag = db.execute(
            "INSERT INTO turn_flags (turn_id, flag, raw, score) VALUES (?, ?, ?, ?)",
            (turn, "x", b"\x00\x01", 2.5),
        ).lastrowid
    with store._connect() as db:
        assert db.execute("SELECT note FROM turns WHERE id = ?", (turn,)).fetchone()[0] == "noted"
        row = db.execute("SELECT * FROM turn_flags WHERE id = ?", (flag,)).fetchone()
    assert dict(row) == {"id": flag, "turn_id": turn, "flag": "x", "raw": b"\x00\x01", "score": 2.5}
    assert store.migrate() == len(MIGRATIONS) + 1  # applied once


@pytest.mark.parametrize(
    "text",
    ["NUL\x00inside", "private \ue000 use and \ue0000 lookalike", "100% sure? yes?", "æøå 🙂"],
)
def test_any_text_comes_back_exactly_as_written(store, text):
    session = store.create_session(
        store.user_id(text), mode="reflect", lang="da", system_prompt=text
    )
    store.add_turn(session.id, "user", text)
    assert store.turns(session.id)[0].text == text
    assert store.session(store.find_user(text) or 0, session.id).system_prompt == text


def test_a_store_in_another_process_sees_what_this_one_committed(
    store_backend, database_url, tmp_path
):
    """Several app processes share one database: each has its own store (its own pool)."""
    if database_url is None:
        first, second = Store(tmp_path / "db.sqlite3"), Store(tmp_path / "db.sqlite3")
    else:
        from assistant.store.postgres_store import PostgresStore

        first, second = PostgresStore(database_url), PostgresStore(database_url)
    first.migrate()
    session = first.create_session(first.user_id("ann"), mode="qa", lang="en", system_prompt="S")
    first.add_turn(session.id, "user", "asked on process one")
    second.add_turn(session.id, "assistant", "answered on process two")
    assert [t.text for t in first.turns(session.id)] == [
        "asked on process one",
        "answered on process two",
    ]
    assert second.find_user("ann") == first.find_user("ann")
    first.close()
    second.close()


def test_processes_starting_together_apply_each_migration_once(postgres):
    from assistant.store.postgres_store import PostgresStore

    with postgres.schema() as url:
        stores = [PostgresStore(url) for _ in range(4)]
        versions: list[int] = []
        threads = [
            threading.Thread(target=lambda s=s: versions.append(s.migrate())) for s in stores
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert versions == [len(MIGRATIONS)] * 4
        with stores[0]._connect() as db:
            names = [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY name")]
        assert names == sorted(name for name, _ in MIGRATIONS)
        for store in stores:
            store.close()


def test_only_a_reply_placeholder_and_partial_text_commit_without_waiting_for_the_disk(
    postgres, monkeypatch
):
    """The user's words are committed durably (synchronous_commit on) before the model is
    asked; a reply's empty placeholder and partial saves are not waited for."""
    from assistant.store import postgres as pg
    from assistant.store.postgres_store import PostgresStore

    seen: list[tuple[str, str]] = []
    real_execute = pg.PgConnection.execute

    def traced(self, sql, params=()):
        level = self._connection.execute("SHOW synchronous_commit").fetchone()[0]
        seen.append((sql.split()[0] + " " + sql.split()[2], level))
        return real_execute(self, sql, params)

    with postgres.schema() as url:
        store = PostgresStore(url)
        store.migrate()
        session = store.create_session(
            store.user_id(), mode="reflect", lang="en", system_prompt="S"
        )
        monkeypatch.setattr(pg.PgConnection, "execute", traced)
        seen.clear()
        store.add_turn(session.id, "user", "my words")
        user_levels = {level for _, level in seen}
        seen.clear()
        reply = store.add_turn(session.id, "assistant", "", status="streaming")
        store.save_partial(reply, "part")
        placeholder_levels = {level for _, level in seen}
        seen.clear()
        store.finish_turn(reply, "part and the rest", status="complete")
        final_levels = {level for _, level in seen}
        store.close()
    assert user_levels == {"on"} and final_levels == {"on"}
    assert placeholder_levels == {"off"}


def test_an_unreachable_database_gives_a_clear_message_without_the_password(postgres):
    from assistant.store.postgres_store import PostgresStore

    url = f"postgresql://coach:s3cret@{postgres.url().split('@')[1].split(':')[0]}:1/coach"
    store = PostgresStore(url, pool_timeout=2, connect_timeout=1)
    with pytest.raises(CoachError) as caught:
        store.user_id("ann")
    store.close()
    assert caught.value.code in ("database_unreachable", "busy")
    assert "s3cret" not in caught.value.en and "s3cret" not in caught.value.da
    assert "***" in caught.value.en
    assert "PostgreSQL" in caught.value.en or "COACH_DATABASE_POOL_MAX" in caught.value.en
    assert "Prøv igen" in caught.value.da


def test_the_settings_choose_the_backend(tmp_path):
    sqlite = open_store(Settings(data_dir=tmp_path))
    assert isinstance(sqlite, Store) and sqlite.path == tmp_path / "coach.sqlite3"
    postgres = open_store(
        Settings(
            data_dir=tmp_path, database_url="postgresql://u:p@db.example/coach", database_pool_max=3
        )
    )
    assert postgres.url == "postgresql://u:p@db.example/coach"  # type: ignore[attr-defined]
    assert postgres.pool_max == 3  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as caught:
        Settings(data_dir=tmp_path, database_url="mysql://db/coach")
    assert "postgresql://" in str(caught.value)
