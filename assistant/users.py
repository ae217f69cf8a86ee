"""Accounts for sharing one Peer Coach with a team: names, password hashes and sign-in.

Passwords are never stored: each user gets a salted scrypt hash (a random 16-byte salt) and the
scrypt cost parameters it was made with, so the parameters can be raised later without locking
anyone out (old hashes keep verifying with their own parameters; ``needs_rehash`` tells when a
successful sign-in should store a stronger one).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import ipaddress
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from assistant.errors import CoachError
from assistant.store import LOCAL_USER, Credential, Store

# 2**15 * 8 * 128 bytes = 32 MiB of memory and about 0.1 s per hash on a laptop core.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
KEY_BYTES = 32
SALT_BYTES = 16
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024
NAME_PATTERN = re.compile(r"[A-Za-z0-9æøåÆØÅ][A-Za-z0-9æøåÆØÅ._@-]{0,63}")


def _maxmem(n: int, r: int, p: int) -> int:
    """Enough memory for scrypt with these parameters (OpenSSL's default cap is 32 MiB)."""
    return 128 * r * (n + p + 2) + 1024 * 1024


def hash_password(
    password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P
) -> Credential:
    """A new salted scrypt hash of the password, with the parameters used."""
    salt = os.urandom(SALT_BYTES)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_maxmem(n, r, p), dklen=KEY_BYTES
    )
    return Credential(scheme="scrypt", n=n, r=r, p=p, salt=salt, hash=key)


def verify_password(password: str, credential: Credential) -> bool:
    """True when the password matches the stored hash (compared in constant time)."""
    if credential.scheme != "scrypt":
        return False
    n, r, p = credential.n, credential.r, credential.p
    key = hashlib.scrypt(
        password.encode("utf-8"),
        salt=credential.salt,
        n=n,
        r=r,
        p=p,
        maxmem=_maxmem(n, r, p),
        dklen=len(credential.hash),
    )
    return hmac.compare_digest(key, credential.hash)


def needs_rehash(credential: Credential) -> bool:
    """True when the hash was made with weaker parameters than today's defaults."""
    return (credential.n, credential.r, credential.p) < (SCRYPT_N, SCRYPT_R, SCRYPT_P)


def check_name(name: str) -> str:
    """The user name, or a clear error for one that cannot be used."""
    if not NAME_PATTERN.fullmatch(name):
        raise CoachError(
            "bad_user_name",
            f"'{name}' cannot be a user name: use 1-64 letters, digits, '.', '_', '-' or '@', "
            "starting with a letter or digit (no spaces).",
            f"'{name}' kan ikke bruges som brugernavn: brug 1-64 bogstaver, cifre, '.', '_', "
            "'-' eller '@', og start med et bogstav eller ciffer (ingen mellemrum).",
        )
    return name


def check_password(password: str) -> str:
    """The password, or a clear error when it is too short or too long."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise CoachError(
            "weak_password",
            f"The password must have at least {MIN_PASSWORD_CHARS} characters.",
            f"Adgangskoden skal have mindst {MIN_PASSWORD_CHARS} tegn.",
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise CoachError(
            "long_password",
            f"The password may have at most {MAX_PASSWORD_CHARS} characters.",
            f"Adgangskoden må højst have {MAX_PASSWORD_CHARS} tegn.",
        )
    return password


def unknown_user(name: str) -> CoachError:
    """The error for a name that has no account."""
    return CoachError(
        "unknown_user",
        f"There is no user named '{name}'. `coach user list` shows the users; "
        f"`coach user add {name}` creates one.",
        f"Der er ingen bruger ved navn '{name}'. `coach user list` viser brugerne; "
        f"`coach user add {name}` opretter en.",
    )


def is_local_address(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_check(host: str, auth_configured: bool, insecure_no_auth: bool) -> str | None:
    """Decide whether the page may be served on ``host``.

    Only this machine can reach a loopback address, so it needs no sign-in. Any other address
    needs at least one user with a password, unless the operator explicitly passed
    ``--insecure-no-auth``: then this returns the loud warning to print. Refusal is a
    CoachError that says how to add a user.
    """
    if is_local_address(host) or auth_configured:
        return None
    if not insecure_no_auth:
        raise CoachError(
            "auth_required",
            f"Refusing to serve on {host} without sign-in: anyone who can reach this port "
            "could read every transcript. Run `coach user add NAME` first (then everyone signs "
            "in), or bind to 127.0.0.1. To serve openly anyway, pass --insecure-no-auth.",
            f"Nægter at køre på {host} uden login: alle, der kan nå denne port, kunne læse "
            "hver samtale. Kør først `coach user add NAVN` (så skal alle logge ind), eller brug "
            "127.0.0.1. For alligevel at køre åbent, brug --insecure-no-auth.",
        )
    line = "!" * 78
    return (
        f"{line}\nWARNING: --insecure-no-auth: serving on {host} WITHOUT SIGN-IN.\n"
        "Anyone who can reach this port can read, change and delete every transcript, goal "
        "and upload.\nRun `coach user add NAME` and restart to require sign-in.\n" + line
    )


@dataclass(frozen=True)
class Account:
    """A line of `coach user list`."""

    name: str
    has_password: bool
    created_at: str


@dataclass
class Accounts:
    """Creating, listing and checking the people who may sign in to a shared Peer Coach."""

    store: Store

    def add(self, name: str, password: str) -> int:
        """Give a (new or existing) user a password; returns the user's id.

        An existing user without a password (e.g. the single local user) keeps their data.
        """
        check_name(name)
        check_password(password)
        if self.store.find_user(name) is not None and self.store.credential(name) is not None:
            raise CoachError(
                "user_exists",
                f"The user '{name}' already exists. Use `coach user passwd {name}` to change "
                "the password.",
                f"Brugeren '{name}' findes allerede. Brug `coach user passwd {name}` for at "
                "skifte adgangskoden.",
            )
        user_id = self.store.user_id(name)
        self.store.set_credential(user_id, hash_password(password))
        return user_id

    def change_password(self, name: str, password: str) -> None:
        """Replace the password of an existing user (their sign-ins then end in every app
        process: each was issued with the old credential's fingerprint)."""
        check_password(password)
        user_id = self.store.find_user(name)
        if user_id is None:
            raise unknown_user(name)
        self.store.set_credential(user_id, hash_password(password))

    def remove(self, name: str, *, delete_data: bool = False) -> bool:
        """Stop a user from signing in; with ``delete_data`` also delete everything they
        stored (sessions, goals, scenarios). Their sign-ins end in every app process (their
        credential's fingerprint is gone). Returns False for an unknown name."""
        user_id = self.store.find_user(name)
        if user_id is None:
            return False
        if delete_data:
            self.store.delete_user(user_id)
        else:
            self.store.delete_credential(user_id)
        return True

    def list(self) -> list[Account]:
        """Every user the store knows, with whether they can sign in."""
        return [
            Account(name, has_password, created)
            for name, has_password, created in self.store.users()
        ]

    def auth_required(self) -> bool:
        """True once at least one user has a password: the page then asks everyone to sign in."""
        return self.store.has_credentials()

    def authenticate(self, name: str, password: str) -> bool:
        """True when the name and password belong together (Gradio's auth callable).

        A stronger hash replaces an old one on a successful sign-in."""
        credential = self.store.credential(name)
        if credential is None:
            # Spend the same time as a real check, so names cannot be probed by timing.
            verify_password(password, _timing_credential())
            return False
        if not verify_password(password, credential):
            return False
        if needs_rehash(credential):
            user_id = self.store.find_user(name)
            if user_id is not None:
                self.store.set_credential(user_id, hash_password(password))
        return True

    def resolve(self, name: str | None) -> int:
        """The id of a named existing user, or of the single local user when no name is given
        (the `--user` option of the CLI commands)."""
        if name is None or name == LOCAL_USER:
            return self.store.user_id(LOCAL_USER)
        user_id = self.store.find_user(name)
        if user_id is None:
            raise unknown_user(name)
        return user_id


@functools.cache
def _timing_credential() -> Credential:
    """A hash to check unknown names against, made once on first use."""
    return hash_password("timing-equaliser")


def auth_callable(accounts: Accounts, *, at_once: int = 2) -> Callable[[str, str], Awaitable[bool]]:
    """The function Gradio awaits with a name and password on its sign-in page.

    Hashing runs in a worker thread, so a sign-in never stalls the replies streaming to
    others, and at most ``at_once`` hashes run together (each takes 32 MiB), so a flood of
    attempts cannot exhaust memory.
    """
    gate = asyncio.Semaphore(at_once)

    async def check(username: str, password: str) -> bool:
        async with gate:
            try:
                return await asyncio.to_thread(accounts.authenticate, username, password)
            except CoachError:
                return False

    return check


def credential_fingerprint(credential: Credential | None) -> str | None:
    """A short digest of a stored password hash: it changes when the password is changed or
    removed, so a running app can tell that a sign-in made with the old one has to end."""
    if credential is None:
        return None
    digest = hashlib.sha256(credential.scheme.encode() + credential.salt + credential.hash)
    return digest.hexdigest()[:32]


@dataclass
class SignInThrottle:
    """Failed sign-ins, counted per name and per client address, with a growing wait.

    After ``free_failures`` failures in a row, each further failure doubles the time the name
    (or the client) must wait before the next attempt is even checked, from ``base_delay`` up
    to ``max_delay`` seconds. An attempt made too early is refused at once, without hashing,
    so a flood costs no CPU and does not queue in front of other people's sign-ins. Counts
    are forgotten after ``forget_after`` quiet seconds and when the name signs in.
    A client address gets more free failures than a name: a team behind one proxy shares it.
    """

    free_failures: int = 3
    client_free_failures: int = 10
    base_delay: float = 1.0
    max_delay: float = 300.0
    forget_after: float = 900.0
    capacity: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float, float]] = field(default_factory=dict, repr=False)

    def retry_after(self, name: str, client: str) -> float:
        """Seconds until this name from this client may try again (0: now)."""
        now = self.clock()
        waits = [self._locked_until(key, now) - now for key in self._keys(name, client)]
        return max(0.0, *waits)

    def failed(self, name: str, client: str) -> float:
        """Count a failed attempt; returns the seconds the next attempt must wait."""
        now = self.clock()
        for key, free in zip(self._keys(name, client), self._free(), strict=True):
            count = self._count(key, now) + 1
            extra = count - free
            delay = 0.0 if extra <= 0 else min(self.base_delay * 2 ** (extra - 1), self.max_delay)
            self._failures.pop(key, None)  # re-insert: the dict stays in least-recent order
            self._failures[key] = (count, now, now + delay)
        while len(self._failures) > self.capacity:
            self._failures.pop(next(iter(self._failures)))
        return self.retry_after(name, client)

    def succeeded(self, name: str, client: str) -> None:
        """Forget the name's failures (the client's stay: one good account must not reset
        the count of a client that tries many names)."""
        self._failures.pop(self._keys(name, client)[0], None)

    def _keys(self, name: str, client: str) -> tuple[str, str]:
        return f"name:{name.strip().lower()}", f"client:{client}"

    def _free(self) -> tuple[int, int]:
        return self.free_failures, self.client_free_failures

    def _count(self, key: str, now: float) -> int:
        count, last, _ = self._failures.get(key, (0, 0.0, 0.0))
        return 0 if now - last > self.forget_after else count

    def _locked_until(self, key: str, now: float) -> float:
        _, last, until = self._failures.get(key, (0, 0.0, 0.0))
        return 0.0 if now - last > self.forget_after else until
