"""Accounts: password hashing, `coach user ...`, the refusal to serve openly, `--user`, and
resolving the user of each Gradio request."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import gradio as gr
import pytest
from typer.testing import CliRunner

from assistant import users
from assistant.cli import app
from assistant.errors import CoachError
from assistant.store import LOCAL_USER, Store
from assistant.ui.context import request_user_id
from assistant.users import (
    Accounts,
    auth_callable,
    exposure_check,
    hash_password,
    is_local_address,
    needs_rehash,
    verify_password,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def data_store(tmp_path, monkeypatch):
    """The store the `coach` command uses (COACH_DATA_DIR points at the test's tmp dir)."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    store = Store(tmp_path / "data" / "coach.sqlite3")
    store.migrate()
    return store


def coach(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


# --- hashing ----------------------------------------------------------------------------------


def test_a_hash_is_salted_and_keeps_its_parameters():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert len(first.salt) == 16 and first.salt != second.salt and first.hash != second.hash
    assert (first.scheme, first.n, first.r, first.p) == ("scrypt", users.SCRYPT_N, 8, 1)
    assert PASSWORD.encode() not in first.hash
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password(PASSWORD + "x", first)
    assert not verify_password("", first)


def test_a_hash_made_with_other_parameters_still_verifies():
    weak = hash_password(PASSWORD, n=2**10, r=8, p=1)
    assert weak.n == 2**10 and verify_password(PASSWORD, weak)
    assert needs_rehash(weak) and not needs_rehash(hash_password(PASSWORD))


def test_the_store_keeps_only_the_hash(store):
    accounts = Accounts(store)
    accounts.add("ann", PASSWORD)
    with store._connect() as db:  # the raw rows, on either backend
        row = db.execute("SELECT scheme, n, r, p, salt, hash FROM credentials").fetchone()
        everything = b"".join(
            bytes(str(value), "utf-8") if not isinstance(value, bytes) else value
            for table in ("users", "credentials")
            for record in db.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            for value in record
        )
    assert tuple(row)[0:4] == ("scrypt", users.SCRYPT_N, users.SCRYPT_R, users.SCRYPT_P)
    assert len(row[4]) == 16 and len(row[5]) == 32
    assert PASSWORD.encode() not in everything


def test_a_sign_in_with_an_old_hash_stores_a_stronger_one(store):
    user_id = store.user_id("ann")
    store.set_credential(user_id, hash_password(PASSWORD, n=2**10))
    assert Accounts(store).authenticate("ann", PASSWORD)
    stored = store.credential("ann")
    assert stored is not None and stored.n == users.SCRYPT_N
    assert Accounts(store).authenticate("ann", PASSWORD)


# --- accounts ---------------------------------------------------------------------------------


def test_sign_in_checks_name_and_password(store):
    accounts = Accounts(store)
    assert not accounts.auth_required()
    accounts.add("ann", PASSWORD)
    accounts.add("bob", "another password")
    gradio_check = auth_callable(accounts)

    def check(name: str, password: str) -> bool:
        # In its own thread: the browser tests' Playwright (sync API) keeps an event loop
        # running in the main thread for the rest of a full test run.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, gradio_check(name, password)).result()

    assert accounts.auth_required()
    assert check("ann", PASSWORD) and check("bob", "another password")
    assert not check("ann", "another password")
    assert not check("bob", PASSWORD)
    assert not check("nobody", PASSWORD)
    assert not check("", "")


def test_add_refuses_bad_names_short_passwords_and_duplicates(store):
    accounts = Accounts(store)
    for name in ("", "two words", "../etc", "x" * 65, "-dash"):
        with pytest.raises(CoachError) as bad:
            accounts.add(name, PASSWORD)
        assert bad.value.code == "bad_user_name" and bad.value.da
    with pytest.raises(CoachError) as short:
        accounts.add("ann", "short")
    assert short.value.code == "weak_password"
    accounts.add("ann", PASSWORD)
    with pytest.raises(CoachError) as twice:
        accounts.add("ann", "something else entirely")
    assert twice.value.code == "user_exists" and "coach user passwd ann" in twice.value.en
    assert accounts.authenticate("ann", PASSWORD)
    assert [a.name for a in accounts.list()] == ["ann"]


def test_the_local_user_can_get_a_password_and_keeps_their_data(store):
    local = store.user_id()
    store.add_goal(local, "Ask Sam for a 1:1")
    assert Accounts(store).add(LOCAL_USER, PASSWORD) == local
    assert [g.text for g in store.goals(local)] == ["Ask Sam for a 1:1"]


def test_remove_revokes_sign_in_and_keeps_data_unless_asked(store):
    accounts = Accounts(store)
    ann = accounts.add("ann", PASSWORD)
    store.add_goal(ann, "Give Kim feedback")
    assert accounts.remove("ann")
    assert not accounts.authenticate("ann", PASSWORD)
    assert not accounts.auth_required()
    assert [g.text for g in store.goals(ann)] == ["Give Kim feedback"]
    assert accounts.remove("ann", delete_data=True)
    assert store.find_user("ann") is None and store.goals(ann) == []
    assert not accounts.remove("ann")


def test_resolve_names_existing_users_only(store):
    accounts = Accounts(store)
    ann = accounts.add("ann", PASSWORD)
    assert accounts.resolve("ann") == ann
    assert accounts.resolve(None) == store.user_id(LOCAL_USER)
    with pytest.raises(CoachError) as unknown:
        accounts.resolve("nobody")
    assert unknown.value.code == "unknown_user"
    assert store.find_user("nobody") is None  # nothing was created


# --- serving: refusal and the loud flag ---------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_addresses_need_no_sign_in(host):
    assert is_local_address(host)
    assert exposure_check(host, auth_configured=False, insecure_no_auth=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "coach.example.org"])
def test_network_addresses_without_users_are_refused(host):
    assert not is_local_address(host)
    with pytest.raises(CoachError) as refused:
        exposure_check(host, auth_configured=False, insecure_no_auth=False)
    assert refused.value.code == "auth_required"
    assert "coach user add NAME" in refused.value.en and "coach user add NAVN" in refused.value.da
    assert "--insecure-no-auth" in refused.value.en
    assert exposure_check(host, auth_configured=True, insecure_no_auth=False) is None


def test_the_insecure_flag_serves_openly_with_a_loud_warning():
    warning = exposure_check("0.0.0.0", auth_configured=False, insecure_no_auth=True)
    assert warning is not None
    assert "WITHOUT SIGN-IN" in warning and "coach user add NAME" in warning
    assert exposure_check("0.0.0.0", auth_configured=True, insecure_no_auth=True) is None


def test_serve_on_a_network_address_without_users_is_refused(data_store):
    """The refusal happens before anything binds: the command ends with exit code 2."""
    result = coach("serve", "--host", "0.0.0.0", "--port", "9")
    assert result.exit_code == 2
    assert "Refusing to serve on 0.0.0.0" in result.output
    assert "coach user add NAME" in result.output


# --- `coach user ...` ---------------------------------------------------------------------------


def test_user_commands_add_list_passwd_remove(data_store):
    added = coach("user", "add", "ann", "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert Accounts(data_store).authenticate("ann", PASSWORD)
    listed = coach("user", "list")
    assert listed.exit_code == 0 and "ann\tcan sign in" in listed.output
    changed = coach("user", "passwd", "ann", "--password-stdin", input="a new password\n")
    assert changed.exit_code == 0, changed.output
    assert Accounts(data_store).authenticate("ann", "a new password")
    assert not Accounts(data_store).authenticate("ann", PASSWORD)
    removed = coach("user", "remove", "ann")
    assert removed.exit_code == 0 and "data is kept" in removed.output
    assert not Accounts(data_store).auth_required()


def test_user_commands_explain_mistakes(data_store):
    short = coach("user", "add", "ann", "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    assert data_store.find_user("ann") is None
    unknown = coach("user", "passwd", "nobody", "--password-stdin", input=PASSWORD + "\n")
    assert unknown.exit_code == 1 and "no user named 'nobody'" in unknown.output
    missing = coach("user", "remove", "nobody")
    assert missing.exit_code == 1 and "no user named 'nobody'" in missing.output


def test_remove_with_delete_data_asks_first(data_store):
    ann = Accounts(data_store).add("ann", PASSWORD)
    data_store.add_goal(ann, "Give Kim feedback")
    kept = coach("user", "remove", "ann", "--delete-data", input="n\n")
    assert kept.exit_code == 1 and data_store.goals(ann) != []
    gone = coach("user", "remove", "ann", "--delete-data", "--yes")
    assert gone.exit_code == 0, gone.output
    assert data_store.find_user("ann") is None and data_store.goals(ann) == []


def test_cli_commands_read_the_named_users_data(data_store):
    ann = Accounts(data_store).add("ann", PASSWORD)
    data_store.add_goal(ann, "Ann's goal")
    data_store.add_goal(data_store.user_id(), "The local user's goal")
    session = data_store.create_session(ann, mode="reflect", lang="en", system_prompt="s")
    mine = json.loads(coach("goals", "--json", "--user", "ann").output)
    assert [g["text"] for g in mine] == ["Ann's goal"]
    local = json.loads(coach("goals", "--json").output)
    assert [g["text"] for g in local] == ["The local user's goal"]
    exported = coach("export", str(session.id), "--format", "json", "--user", "ann")
    assert exported.exit_code == 0 and json.loads(exported.output)["id"] == session.id
    assert coach("export", str(session.id), "--format", "json").exit_code == 1
    unknown = coach("goals", "--user", "nobody")
    assert unknown.exit_code == 1 and "no user named 'nobody'" in unknown.output


# --- the user of a Gradio request ---------------------------------------------------------------


def test_each_request_resolves_to_its_signed_in_user(store):
    ann = Accounts(store).add("ann", PASSWORD)
    bob = Accounts(store).add("bob", PASSWORD)
    assert request_user_id(store, gr.Request(username="ann"), auth=True) == ann
    assert request_user_id(store, gr.Request(username="bob"), auth=True) == bob
    with pytest.raises(CoachError) as anonymous:
        request_user_id(store, gr.Request(), auth=True)
    assert anonymous.value.code == "not_signed_in"
    with pytest.raises(CoachError):
        request_user_id(store, None, auth=True)
    with pytest.raises(CoachError) as removed:
        request_user_id(store, gr.Request(username="carol"), auth=True)
    assert removed.value.code == "account_removed" and store.find_user("carol") is None
    Accounts(store).remove("bob")  # signed in before, the password is gone now
    with pytest.raises(CoachError) as revoked:
        request_user_id(store, gr.Request(username="bob"), auth=True)
    assert revoked.value.code == "account_removed"


def test_without_sign_in_every_request_is_the_local_user(store):
    local = store.user_id(LOCAL_USER)
    assert request_user_id(store, gr.Request(), auth=False) == local
    assert request_user_id(store, None, auth=False) == local
