"""Logins kept in the store (runs on both backends): Gradio's token dict over the logins
table, as its routes use it (assistant/ui/logins.py, assistant/store/logins.py)."""

from __future__ import annotations

from assistant.store import Store
from assistant.ui.logins import StoredLogins, token_hash


def _other(store, database_url, tmp_path) -> Store:
    if database_url is None:
        return Store(store.path)
    from assistant.store.postgres_store import PostgresStore

    return PostgresStore(database_url)


def test_a_login_is_kept_as_a_hash_and_read_by_another_store(store, database_url, tmp_path):
    logins = StoredLogins(store, lambda name: f"fp-{name}")
    logins["secret-token"] = "ann"
    other = _other(store, database_url, tmp_path)
    try:
        seen = StoredLogins(other, lambda name: None)
        assert seen["secret-token"] == "ann" and "secret-token" in seen
        assert seen.get("another-token") is None and seen.get(None) is None  # type: ignore[arg-type]
        assert seen.issued["secret-token"] == "fp-ann"
        assert store.login_hashes() == [token_hash("secret-token")]
        assert "secret-token" not in store.login_hashes()
        seen.issued["secret-token"] = "fp-before"  # what the guard records after the check
        assert logins.issued["secret-token"] == "fp-before"
    finally:
        other.close()


def test_gradios_logout_loop_ends_only_that_users_logins(store):
    logins = StoredLogins(store, lambda name: None)
    logins["a1"], logins["a2"], logins["b1"] = "ann", "ann", "bob"
    # Gradio 6.31 routes.py logout(all_session=True), word for word:
    for token in list(logins.keys()):
        if logins[token] == "ann":
            del logins[token]
    assert "a1" not in logins and "a2" not in logins and logins["b1"] == "bob"
    assert len(logins) == 1


def test_old_logins_are_not_honoured_and_are_cleaned_away(store):
    logins = StoredLogins(store, lambda name: None)
    logins["old"] = "ann"
    with store._connect(write=True) as db:
        db.execute("UPDATE logins SET created_at = '2000-01-01T00:00:00.000+00:00'")
    assert "old" not in logins and logins.get("old") is None
    logins["new"] = "ann"
    with store._connect() as db:
        assert db.execute("SELECT COUNT(*) FROM logins").fetchone()[0] == 1


def test_every_store_on_one_database_reads_the_same_cookie_secret(store, database_url, tmp_path):
    other = _other(store, database_url, tmp_path)
    try:
        first = store.shared_secret("gradio-cookie-id")
        assert len(first) >= 32 and other.shared_secret("gradio-cookie-id") == first
        assert store.shared_secret("something-else") != first
    finally:
        other.close()
