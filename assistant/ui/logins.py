"""Gradio's sign-in tokens kept in the store, so every app process on one database honours a
login made on any of them, and a logout (or a changed password) ends it on all.

Gradio 6.31 keeps its tokens in ``App.tokens``, a dict of token -> user name that its routes
read (``/user``, ``/token``, every page and queue call through ``get_current_user``), write
(``/login``) and empty (``/logout`` walks its keys and deletes the user's). ``StoredLogins`` is
that dict over the store's logins table. The table holds a hash of each token only, so
iterating gives the hashes (as ``TokenHash``), which the mapping accepts in place of a token:
Gradio's logout loop then works unchanged. ``issued`` is the same rows seen as token ->
credential fingerprint, for the guard (assistant/ui/guard.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Protocol

__all__ = ["COOKIE_SECRET", "LoginRows", "StoredLogins", "TokenHash", "token_hash"]

# The app_secrets row naming Gradio's cookie: every process must read and set the same one.
COOKIE_SECRET = "gradio-cookie-id"


class LoginRows(Protocol):
    """What StoredLogins needs from the store (assistant/store/logins.py)."""

    def add_login(self, token_hash: str, user: str, fingerprint: str | None) -> None: ...
    def login(self, token_hash: str) -> tuple[str, str | None] | None: ...
    def set_login_fingerprint(self, token_hash: str, fingerprint: str | None) -> bool: ...
    def end_login(self, token_hash: str) -> bool: ...
    def login_hashes(self) -> list[str]: ...


class TokenHash(str):
    """A stored token's hash, as iterating the logins gives it back."""


def token_hash(token: str) -> str:
    """The hash a token is kept as (a ``TokenHash`` is one already)."""
    if isinstance(token, TokenHash):
        return str(token)
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class _LoginMapping:
    """What both views of the logins table share: one row per token, found by its hash."""

    rows: LoginRows

    def _row(self, token: object) -> tuple[str, str | None]:
        # Gradio looks up None when a request has no cookie.
        found = self.rows.login(token_hash(token)) if isinstance(token, str) else None
        if found is None:
            raise KeyError(token)
        return found

    def __delitem__(self, token: str) -> None:
        if not self.rows.end_login(token_hash(token)):
            raise KeyError(token)

    def __iter__(self) -> Iterator[str]:
        return iter([TokenHash(found) for found in self.rows.login_hashes()])

    def __len__(self) -> int:
        return len(self.rows.login_hashes())

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and self.rows.login(token_hash(token)) is not None


@dataclass
class StoredLogins(_LoginMapping, MutableMapping[str, str]):
    """Token -> user name over the logins table (see the module docstring).

    ``fingerprint(name)`` gives the credential a new login is recorded with; the guard
    replaces it with the one from before the password check (``issued``)."""

    rows: LoginRows
    fingerprint: Callable[[str], str | None]

    def __getitem__(self, token: str) -> str:
        return self._row(token)[0]

    def __setitem__(self, token: str, user: str) -> None:
        self.rows.add_login(token_hash(token), user, self.fingerprint(user))

    @property
    def issued(self) -> IssuedFingerprints:
        """The same logins as token -> the credential fingerprint each was issued with."""
        return IssuedFingerprints(self.rows)


@dataclass
class IssuedFingerprints(_LoginMapping, MutableMapping[str, "str | None"]):
    """Token -> credential fingerprint over the logins table (the guard's ``issued``)."""

    rows: LoginRows

    def __getitem__(self, token: str) -> str | None:
        return self._row(token)[1]

    def __setitem__(self, token: str, fingerprint: str | None) -> None:
        self.rows.set_login_fingerprint(token_hash(token), fingerprint)
