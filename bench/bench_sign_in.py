"""Sign-in checks with logins kept in the store: the cost per request.

    python bench/bench_sign_in.py            # 2,000 checks on SQLite and on PostgreSQL

Every request of a signed-in user is checked by the guard (its login and its credential's
fingerprint, assistant/ui/guard.py ``SignIns.signed_in``) and looked up once more by Gradio
(``get_current_user``); with shared logins (assistant/ui/logins.py) each is a read of the
store. This times both together, on a SQLite file in a temp dir and on a throwaway PostgreSQL
server over its Unix socket (tests/fixtures/postgres.py).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.store import Store  # noqa: E402
from assistant.ui.guard import SignIns  # noqa: E402
from assistant.ui.logins import StoredLogins  # noqa: E402
from assistant.users import Accounts, credential_fingerprint  # noqa: E402
from tests.fixtures.postgres import postgres_server  # noqa: E402

CHECKS = 2000


def per_request_ms(store: Store) -> float:
    """Milliseconds for one guard check plus one Gradio lookup of a signed-in cookie."""
    store.migrate()
    Accounts(store).add("ann", "a-long-password")

    def fingerprint(name: str) -> str | None:
        return credential_fingerprint(store.credential(name))

    logins = StoredLogins(store, fingerprint)
    logins["token"] = "ann"
    sign_ins = SignIns(
        tokens=lambda: logins,
        cookie_id=lambda: "c",
        required=lambda: True,
        fingerprint=fingerprint,
        issued=logins.issued,
    )
    headers = {"cookie": "access-token-c=token"}
    for _ in range(50):
        sign_ins.signed_in(headers)
    started = time.perf_counter()
    for _ in range(CHECKS):
        if sign_ins.signed_in(headers) != "ann" or logins.get("token") != "ann":
            raise SystemExit("the login was not honoured")
    return (time.perf_counter() - started) / CHECKS * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        sqlite = per_request_ms(Store(Path(folder) / "coach.sqlite3"))
    print(f"SQLite: {sqlite:.3f} ms per request")  # noqa: T201
    with postgres_server() as server, server.schema() as url:
        from assistant.store.postgres_store import PostgresStore

        store = PostgresStore(url)
        postgres = per_request_ms(store)
        store.close()
    print(f"PostgreSQL (Unix socket): {postgres:.3f} ms per request")  # noqa: T201


if __name__ == "__main__":
    main()
