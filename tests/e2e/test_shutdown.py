"""A clean stop: SIGTERM (what a service manager, `docker stop` or the test fixture sends)
ends `python app.py` with exit status 0 after ``Services.close()`` has run, so the process
leaves nothing behind for others to time out. On PostgreSQL: its ``app_processes`` row is gone
(the other processes stop counting it at once) and the server holds no connection of it. On
SQLite: every connection to the file was closed (SQLite removes the write-ahead log when the
last one closes, which a killed process never does). The app runs against the Ollama double
(tests/fixtures/ollama_double.py, the only test double)."""

from __future__ import annotations

import signal
import uuid

import pytest

from tests.fixtures.app_process import AppFactory, RunningApp

# Far longer than a clean stop takes: reaching it means the process did not stop by itself.
EXIT_LIMIT = 60
# This app's connections on the server, not counting the test's own.
CONNECTIONS = (
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()"
)


def sigterm(app: RunningApp) -> int:
    """SIGTERM the app and return its exit status once it has exited by itself."""
    app.process.send_signal(signal.SIGTERM)
    return app.process.wait(timeout=EXIT_LIMIT)


def test_sigterm_exits_0_and_leaves_no_liveness_row_and_no_connection(
    app_factory: AppFactory, double, postgres, tmp_path
):
    data_dir = tmp_path / "data"
    name = f"coach-shutdown-{uuid.uuid4().hex[:8]}"  # tells this app's connections apart
    url = f"{app_factory.database_url(data_dir)}&application_name={name}"
    app = app_factory(double.url, data_dir=data_dir, COACH_DATABASE_URL=url)
    assert app.rows("SELECT count(*) FROM app_processes") == [(1,)]  # its first beat
    assert app.rows(CONNECTIONS, (name,))[0][0] >= 1  # its pool is open

    assert sigterm(app) == 0, app.output()
    assert app.rows("SELECT count(*) FROM app_processes") == [(0,)]
    assert app.rows(CONNECTIONS, (name,)) == [(0,)]


@pytest.mark.sqlite_only  # about the SQLite file's write-ahead log
def test_sigterm_exits_0_and_closes_the_sqlite_file(app_factory: AppFactory, double):
    app = app_factory(double.url)
    wal = app.data_dir / "coach.sqlite3-wal"
    assert wal.exists()  # the app holds the database open (WAL mode)
    assert sigterm(app) == 0, app.output()
    assert not wal.exists()
