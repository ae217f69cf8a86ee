"""A data dir that cannot be written (read-only, full, failing): a clear message in English and
Danish, nothing half-saved, and the same words go in once the condition clears."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.errors import CoachError
from assistant.services import build_services
from assistant.store import Store

ROOT = Path(__file__).resolve().parents[2]


def read_only(data_dir: Path) -> Callable[[], None]:
    """Make the data dir and its files unwritable for real; returns the undo.

    Without root, file modes do it. Root ignores file modes, so there the files are marked
    immutable (``chattr +i``), which stops root too; where that is not possible the test skips.
    """
    paths = [data_dir, *data_dir.rglob("*")]
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)

        def restore_modes() -> None:
            for path, mode in modes.items():
                path.chmod(mode)

        return restore_modes
    chattr = shutil.which("chattr")
    probe = data_dir / ".immutable-probe"
    probe.write_text("x")
    if chattr is None or subprocess.run([chattr, "+i", str(probe)], capture_output=True).returncode:
        probe.unlink()
        pytest.skip(
            "running as root, where chmod does not stop writes, and `chattr +i` is not "
            "available here (it needs CAP_LINUX_IMMUTABLE and ext4/xfs/btrfs); the store-level "
            "tests below still cover the error mapping"
        )
    subprocess.run([chattr, "-i", str(probe)], check=True)
    probe.unlink()
    names = [str(p) for p in paths]
    subprocess.run([chattr, "+i", *names], check=True)

    def writable_again() -> None:
        subprocess.run([chattr, "-i", *names], check=True)

    return writable_again


@pytest.mark.sqlite_only
def test_a_read_only_data_dir_gives_a_clear_message_and_the_turn_goes_in_afterwards(
    settings, double
):
    services = build_services(settings)
    reflect = services.modes["reflect"]
    session = reflect.start(services.store.user_id(), "en")
    double.script("What would you like to talk about?", "What matters most about that?")
    list(reflect.respond(session, "My first words"))
    before = [(t.role, t.text) for t in services.store.turns(session.id)]

    undo = read_only(settings.data_dir)
    try:
        with pytest.raises(CoachError) as caught:
            list(reflect.respond(session, "Words while the disk is read-only"))
    finally:
        undo()

    error = caught.value
    assert error.code in ("read_only", "cannot_open")
    assert "nothing" in error.en and "saved" in error.en and "COACH_DATA_DIR" in error.en
    assert "intet blev gemt" in error.da or "intet kunne gemmes" in error.da
    assert [(t.role, t.text) for t in services.store.turns(session.id)] == before
    assert len(double.requests_for("/api/chat")) == 1  # the model was not asked meanwhile

    list(reflect.respond(session, "Words while the disk is read-only"))
    users = [t.text for t in services.store.turns(session.id) if t.role == "user"]
    assert users == ["My first words", "Words while the disk is read-only"]
    assert services.store.integrity_ok()


@pytest.mark.parametrize(
    ("pragma", "code", "english", "danish"),
    [
        # SQLite's own read-only and full conditions (SQLITE_READONLY, SQLITE_FULL), set on each
        # connection the store opens: real SQLite errors, no double.
        ("PRAGMA query_only = ON", "read_only", "is read-only", "er skrivebeskyttet"),
        ("PRAGMA max_page_count = {pages}", "disk_full", "is full", "er fuld"),
    ],
    ids=["readonly-database", "database-full"],
)
def test_store_errors_are_clear_nothing_is_half_saved_and_retry_works(
    tmp_path, monkeypatch, pragma, code, english, danish
):
    store = Store(tmp_path / "coach.sqlite3")
    store.migrate()
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "kept")
    with sqlite3.connect(store.path) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    words = "Ærlig feedback til Søren om deadlines 🙂 " * 3000  # needs new pages
    connect = sqlite3.connect

    def faulty(*args, **kwargs):
        db = connect(*args, **kwargs)
        db.execute(pragma.format(pages=pages))
        return db

    store.close()  # the store reuses connections: make its next call open one through faulty
    monkeypatch.setattr(sqlite3, "connect", faulty)
    with pytest.raises(CoachError) as caught:
        store.add_turn(session.id, "user", words)
    monkeypatch.undo()

    error = caught.value
    assert error.code == code and english in error.en and danish in error.da
    assert str(store.path) in error.en and str(store.path) in error.da
    assert [t.text for t in store.turns(session.id)] == ["kept"]

    store.add_turn(session.id, "user", words)
    assert [t.text for t in store.turns(session.id)] == ["kept", words]
    assert store.integrity_ok()


FILE_SIZE_LIMIT = textwrap.dedent(
    """
    import json, resource, signal, sys
    from pathlib import Path
    from assistant.errors import CoachError
    from assistant.store import Store

    store = Store(Path(sys.argv[1]) / "coach.sqlite3")
    store.migrate()
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "kept")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    largest = max(p.stat().st_size for p in Path(sys.argv[1]).iterdir())
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 1024, hard))
    words = "A long reflection. " * 20000
    result = {}
    try:
        store.add_turn(session.id, "user", words)
    except CoachError as exc:
        result = {"code": exc.code, "en": exc.en, "da": exc.da}
    result["after_error"] = [t.text for t in store.turns(session.id)]
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    store.add_turn(session.id, "user", words)
    result["after_retry"] = [len(t.text) for t in store.turns(session.id)]
    result["sound"] = store.integrity_ok()
    print(json.dumps(result))
    """
)


def test_a_write_the_operating_system_refuses_is_explained_and_retry_works(tmp_path):
    """A file-size limit (RLIMIT_FSIZE, as a quota would) makes the write fail in the OS; run
    in a child process so the limit cannot touch the test runner."""
    done = subprocess.run(
        [sys.executable, "-c", FILE_SIZE_LIMIT, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == "disk_error"
    assert "nothing was saved" in result["en"] and "intet blev gemt" in result["da"]
    assert result["after_error"] == ["kept"]
    assert result["after_retry"] == [4, len("A long reflection. " * 20000)]
    assert result["sound"] is True
