"""Faults while the coach answers: each gives a clear message and loses nothing."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.services import build_services
from assistant.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def services(settings):
    return build_services(settings)


def reflect_turn(services, text, lang="en"):
    reflect = services.modes["reflect"]
    session = reflect.start(services.store.user_id(), lang)
    seen = []
    with pytest.raises(CoachError) as caught:
        for snapshot in reflect.respond(session, text):
            seen.append(snapshot)
    return session, seen, caught.value


@pytest.mark.parametrize(
    ("fault", "value", "code"),
    [
        ("malformed", 3, "stream_broken"),
        ("cut_after", 3, "stream_broken"),
        ("error_after", 3, "ollama_error"),
        ("server_error", True, "ollama_error"),
        ("unknown_model", True, "model_missing"),
    ],
)
def test_fault_mid_reply_keeps_the_user_turn_and_what_arrived(services, double, fault, value, code):
    double.script("What would you like to happen next in this conversation with your team?")
    double.fault(fault, value)
    session, seen, error = reflect_turn(services, "My team ignores my emails.")
    assert error.code == code
    assert error.en and error.da
    turns = services.store.turns(session.id)
    assert turns[1].text == "My team ignores my emails."
    assert turns[2].status == "interrupted"
    if seen:
        assert turns[2].text == seen[-1]


def test_a_stream_that_never_finishes_hits_the_idle_timeout(settings, double):
    quick = settings.model_copy(update={"first_token_timeout": 0.5, "idle_timeout": 0.5})
    services = build_services(quick)
    double.script("So what I'm hearing is that you feel left out of the loop.")
    double.fault("hang_after", 2)
    started = time.monotonic()
    session, seen, error = reflect_turn(services, "Nobody tells me anything.")
    assert error.code == "timeout"
    assert time.monotonic() - started < 10
    assert services.store.turns(session.id)[-1].text == seen[-1] == "So what"


def test_ollama_down_at_start_then_retry_when_back(services, double):
    double.stop()
    session, _, error = reflect_turn(services, "Hello?")
    assert error.code == "ollama_unreachable" and "ollama serve" in error.en
    double.start()
    double.script("What brings you here today?")
    assert list(services.modes["reflect"].retry(session))[-1] == "What brings you here today?"


@pytest.mark.sqlite_only
def test_sqlite_busy_gives_a_clear_message_and_retry_works(settings, double, tmp_path):
    services = build_services(settings)
    services.store.busy_timeout_ms = 200
    reflect = services.modes["reflect"]
    session = reflect.start(services.store.user_id(), "en")
    blocker = sqlite3.connect(settings.database_path)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CoachError) as caught:
            list(reflect.respond(session, "Words while the database is locked"))
        assert caught.value.code == "busy"
    finally:
        blocker.rollback()
        blocker.close()
    list(reflect.respond(session, "Words after the lock is gone"))
    texts = [t.text for t in services.store.turns(session.id) if t.role == "user"]
    assert texts == ["Words after the lock is gone"]


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from assistant.config import Settings
    from assistant.services import build_services
    settings = Settings(data_dir=sys.argv[1], ollama_host=sys.argv[2])
    services = build_services(settings)
    reflect = services.modes["reflect"]
    session = reflect.start(services.store.user_id(), "en")
    list(reflect.respond(session, "First message"))
    for snapshot in reflect.respond(session, "Second message"):
        print(len(snapshot), flush=True)
    """
)


def saved_partial(database: Path) -> bool:
    """Whether the reply being streamed has a partial text saved."""
    with contextlib.closing(sqlite3.connect(database, timeout=10)) as db:
        row = db.execute(
            "SELECT text FROM turns WHERE role = 'assistant' AND status = 'streaming' "
            "ORDER BY id DESC"
        ).fetchone()
    return bool(row and row[0].startswith("So what I'm hearing is"))


def test_sigkill_during_a_reply_keeps_every_turn_and_a_sound_database(double, tmp_path):
    # A long reply that does not repeat itself (a repeated phrase is a loop the checks stop).
    long_reply = "So what I'm hearing is " + " ".join(f"point {i}," for i in range(120))
    double.script("What did you notice?", long_reply)
    double.token_delay = 0.05
    data_dir = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(data_dir), double.url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    for _ in range(30):  # well into the second reply
        process.stdout.readline()
    # Kill only once a partial of the second reply is on disk (saved every 0.5 s): a state
    # read from the database, not a guess of how long the save takes on a busy machine.
    while not saved_partial(data_dir / "coach.sqlite3"):
        # The reply goes on meanwhile, a line at a time; one that ended first fails below.
        if not process.stdout.readline():
            break
    process.send_signal(signal.SIGKILL)
    process.wait(10)

    store = Store(data_dir / "coach.sqlite3")
    assert store.integrity_ok()
    store.recover_interrupted()
    session = store.sessions(store.user_id())[0]
    turns = store.turns(session.id)
    assert [t.role for t in turns] == ["assistant", "user", "assistant", "user", "assistant"]
    assert [t.text for t in turns if t.role == "user"] == ["First message", "Second message"]
    assert turns[2].status == "complete" and turns[2].text == "What did you notice?"
    assert turns[4].status == "interrupted"
    assert turns[4].text.startswith("So what I'm hearing is point 0, point 1,")


def test_a_killed_process_on_a_shared_database_loses_only_its_reply_and_another_continues(
    double, tmp_path, postgres
):
    """Two app processes on one PostgreSQL database: one is killed mid-reply. The user's turn
    is kept, the other process marks the reply interrupted (the dead one stopped beating) and
    the same session goes on there."""
    from assistant.store.postgres_store import PostgresStore

    with postgres.schema() as url:
        double.script("What did you notice?", "So what I'm hearing is " + "quite a lot " * 60)
        double.token_delay = 0.05
        process = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, str(tmp_path / "one"), double.url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "COACH_DATABASE_URL": url},
        )
        assert process.stdout is not None
        watcher = PostgresStore(url)

        def partial_reply_stored() -> bool:
            users = [u for u, _, _ in watcher.users()]
            if not users:
                return False
            session = watcher.sessions(watcher.user_id(users[0]))[0]
            return any(t.status == "streaming" and t.text for t in watcher.all_turns(session.id))

        # Each line is a snapshot of the second reply: kill once its partial text is stored.
        for _ in range(600):
            assert process.stdout.readline(), "the process ended before its reply was saved"
            if partial_reply_stored():
                break
        process.send_signal(signal.SIGKILL)
        watcher.close()
        process.wait(10)

        settings = Settings(
            data_dir=tmp_path / "two",
            ollama_host=double.url,
            database_url=url,
            process_heartbeat=3600,
            first_token_timeout=5,
            idle_timeout=5,
        )
        other = build_services(settings)  # its first beat finds the dead process's reply
        store = other.store
        session = store.sessions(store.user_id())[0]
        turns = store.turns(session.id)
        # Seen before the dead process went stale: still streaming, not yet given up.
        if turns[-1].status == "streaming":
            assert store.recover_abandoned(stale_after=0) == 1
            turns = store.turns(session.id)
        assert [t.role for t in turns] == ["assistant", "user", "assistant", "user", "assistant"]
        assert [t.text for t in turns if t.role == "user"] == ["First message", "Second message"]
        assert turns[4].status == "interrupted" and turns[4].text

        reflect = other.modes["reflect"]
        double.token_delay = 0.0
        double.script("Where would you like to pick up?")
        resumed = store.session(store.user_id(), session.id)
        assert resumed is not None
        snapshots = list(reflect.respond(resumed, "Third message"))
        assert snapshots[-1] == "Where would you like to pick up?"
        after = store.turns(session.id)
        assert [t.text for t in after if t.role == "user"][-1] == "Third message"
        assert after[-1].status == "complete"
        assert other.heartbeat is not None
        other.heartbeat.stop()
        store.close()
