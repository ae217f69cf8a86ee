"""What the store returns: frozen records of its rows, and the Literals of their fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Role = Literal["user", "assistant"]
TurnStatus = Literal["complete", "streaming", "interrupted", "superseded"]
LOCAL_USER = "local"


def utc_now() -> str:
    """The time as every table stores it: UTC, ISO 8601, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Credential:
    """A user's password as a salted hash, with the scrypt parameters it was made with."""

    scheme: str
    n: int
    r: int
    p: int
    salt: bytes
    hash: bytes = field(repr=False)


@dataclass(frozen=True)
class CheckIn:
    """Progress on a goal at one moment."""

    id: int
    goal_id: int
    session_id: int | None
    note: str
    progress: int
    created_at: str


@dataclass(frozen=True)
class Goal:
    """Something the person committed to, and how it has gone since."""

    id: int
    user_id: int
    session_id: int | None
    text: str
    measure: str
    due: str
    status: str
    created_at: str
    updated_at: str
    check_ins: list[CheckIn] = field(default_factory=list)

    @property
    def progress(self) -> int:
        """The latest progress estimate (0 before any check-in; 100 once done)."""
        if self.status == "done":
            return 100
        return self.check_ins[-1].progress if self.check_ins else 0


@dataclass(frozen=True)
class Session:
    """One practice conversation; its system prompt is fixed when it starts."""

    id: int
    user_id: int
    mode: str
    lang: str
    title: str
    system_prompt: str
    options: dict[str, Any]
    created_at: str
    updated_at: str
    head_turn_id: int | None = None


@dataclass(frozen=True)
class Turn:
    """One message in a session, by the user or by the model."""

    id: int
    session_id: int
    role: Role
    text: str
    status: TurnStatus
    created_at: str
    error: str | None = None
    completed_at: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    parent_id: int | None = None
    warning: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class StoredDebrief:
    """A debrief saved with its session: the structured data or the plain-text fallback."""

    id: int
    session_id: int
    kind: Literal["structured", "plain"]
    data: dict[str, Any]
    text: str
    rating: float | None
    created_at: str


@dataclass(frozen=True)
class SessionSummary:
    """A line of the session list."""

    id: int
    mode: str
    lang: str
    title: str
    updated_at: str
    user_turns: int
