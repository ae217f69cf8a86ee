"""Sign-in that resists attack: the throttle's growing wait, the credential fingerprint that
ends sign-ins on a password change, and `coach user add` saying when a restart is needed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.store import Store
from assistant.users import Accounts, SignInThrottle, credential_fingerprint

PASSWORD = "correct horse battery"


class Clock:
    """A clock the test moves by hand (no sleeping)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_failures_past_the_free_ones_wait_longer_each_time():
    clock = Clock()
    throttle = SignInThrottle(free_failures=3, base_delay=1.0, max_delay=8.0, clock=clock)
    waits = [throttle.failed("ann", "10.0.0.1") for _ in range(3)]
    assert waits == [0.0, 0.0, 0.0]
    assert throttle.retry_after("ann", "10.0.0.1") == 0.0
    growing = []
    for _ in range(5):
        growing.append(throttle.failed("ann", "10.0.0.1"))
        clock.now += growing[-1]  # the attacker waits exactly as long as asked
    assert growing == [1.0, 2.0, 4.0, 8.0, 8.0]  # doubling, up to the cap


def test_the_wait_holds_per_name_from_any_client_and_per_client_for_any_name():
    clock = Clock()
    throttle = SignInThrottle(free_failures=1, client_free_failures=2, clock=clock)
    throttle.failed("ann", "10.0.0.1")
    throttle.failed("ann", "10.0.0.2")  # the name's 2nd failure, from another client
    assert throttle.retry_after("ann", "10.0.0.9") > 0  # the name waits everywhere
    assert throttle.retry_after("bob", "10.0.0.9") == 0  # others are not held up
    for name in ("carl", "dora", "emil"):  # one client spraying names
        throttle.failed(name, "10.0.0.5")
    assert throttle.retry_after("fred", "10.0.0.5") > 0
    assert throttle.retry_after("fred", "10.0.0.6") == 0


def test_a_success_clears_the_name_and_quiet_time_clears_everything():
    clock = Clock()
    throttle = SignInThrottle(free_failures=1, forget_after=60, clock=clock)
    throttle.failed("ann", "10.0.0.1")
    throttle.failed("ann", "10.0.0.1")
    clock.now += throttle.retry_after("ann", "10.0.0.1")
    throttle.succeeded("ann", "10.0.0.1")
    assert throttle.failed("ann", "10.0.0.3") == 0.0  # the count started again
    throttle.failed("ann", "10.0.0.3")
    clock.now += 61
    assert throttle.retry_after("ann", "10.0.0.3") == 0.0


def test_the_throttle_keeps_a_bounded_number_of_counts():
    throttle = SignInThrottle(capacity=50, clock=Clock())
    for i in range(500):
        throttle.failed(f"user{i}", f"10.0.{i // 250}.{i % 250}")
    assert len(throttle._failures) <= 50


def test_the_fingerprint_changes_with_the_password_and_is_none_without_one(tmp_path):
    store = Store(tmp_path / "coach.sqlite3")
    store.migrate()
    accounts = Accounts(store)
    assert credential_fingerprint(store.credential("ann")) is None
    accounts.add("ann", PASSWORD)
    first = credential_fingerprint(store.credential("ann"))
    assert first and first == credential_fingerprint(store.credential("ann"))
    accounts.change_password("ann", PASSWORD)  # the same password: a new salt
    assert credential_fingerprint(store.credential("ann")) not in (None, first)
    accounts.remove("ann")
    assert credential_fingerprint(store.credential("ann")) is None


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def coach(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def test_the_first_user_says_a_running_app_needs_a_restart(data_dir):
    first = coach("user", "add", "ann", "--password-stdin", input=PASSWORD + "\n")
    assert first.exit_code == 0, first.output
    assert "restart Peer Coach" in first.output
    assert "now asks for a name" not in first.output  # it did not, on a running app
    second = coach("user", "add", "bob", "--password-stdin", input=PASSWORD + "\n")
    assert second.exit_code == 0 and "can sign in now" in second.output
    assert "restart" not in second.output
    changed = coach("user", "passwd", "ann", "--password-stdin", input="a new password\n")
    assert "open sign-ins end" in changed.output
