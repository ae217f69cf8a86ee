"""Settings: the one place configuration is read (env prefix ``COACH_``, optional ``.env``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Language = Literal["da", "en"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("peer-coach", appauthor=False))


def normalize_ollama_host(raw: str) -> str:
    """Turn the forms Ollama accepts for OLLAMA_HOST into a base URL a client can call.

    ``ollama serve`` accepts ``0.0.0.0``, ``host:port`` or a full URL; a client cannot call
    ``0.0.0.0``, so it becomes 127.0.0.1, and a missing scheme or port gets Ollama's defaults.
    """
    host = raw.strip().rstrip("/") or "127.0.0.1:11434"
    scheme = "http"
    if "://" in host:
        scheme, host = host.split("://", 1)
    if host.startswith("["):  # IPv6 literal, maybe with a port
        address, _, rest = host[1:].partition("]")
        port = rest.lstrip(":") or "11434"
        address = "::1" if address in ("::", "") else address
        return f"{scheme}://[{address}]:{port}"
    name, _, port = host.partition(":")
    if not port:
        port = "443" if scheme == "https" else "11434"
    if name in ("", "0.0.0.0"):
        name = "127.0.0.1"
    return f"{scheme}://{name}:{port}"


class Settings(BaseSettings):
    """Everything the app can be told from outside; see the README's configuration table."""

    model_config = SettingsConfigDict(
        env_prefix="COACH_", env_file=".env", extra="ignore", populate_by_name=True
    )

    model: str = Field(default="gemma3:4b", description="Ollama chat model (COACH_MODEL).")
    ollama_host: str = Field(
        default="http://127.0.0.1:11434",
        validation_alias=AliasChoices("COACH_OLLAMA_HOST", "OLLAMA_HOST", "ollama_host"),
        description="Where Ollama listens; the standard OLLAMA_HOST is honoured.",
    )
    # Filled from OLLAMA_HOST: several comma-separated servers make a pool (README "Team
    # deployment"); ollama_host is then the first, for status, pulls and embeddings.
    ollama_hosts: tuple[str, ...] = Field(default=(), exclude=True)
    ollama_retry_after: float = Field(
        default=15.0, gt=0, description="Seconds a failing Ollama server of a pool is skipped."
    )
    num_ctx: int = Field(default=8192, ge=1024, description="Context window sent to Ollama.")
    temperature: float = Field(default=0.7, ge=0.0, le=2.0)
    connect_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for Ollama to accept a connection."
    )
    first_token_timeout: float = Field(
        default=120.0,
        gt=0,
        description="Seconds to wait for the first token (a cold model load can be slow).",
    )
    idle_timeout: float = Field(
        default=60.0, gt=0, description="Seconds a running stream may stay silent."
    )
    keep_alive: str = Field(
        default="30m",
        description=(
            "How long Ollama keeps the model loaded after a request (Ollama's keep_alive: "
            "'30m', '1h'; a negative duration such as '-1m' keeps it for ever). Every request and "
            "warm-up sends it."
        ),
    )
    warm_up: bool = Field(
        default=True,
        description="Load the model and read a new session's fixed prompt ahead of the user.",
    )
    # Token caps (Ollama's num_predict) per kind of request; a reply cut at its cap ends at
    # its last full sentence and is marked as cut.
    persona_tokens: int = Field(default=120, ge=16, description="A counterpart's line.")
    coach_tokens: int = Field(default=160, ge=16, description="A Reflect coach question.")
    audience_tokens: int = Field(default=120, ge=16, description="A Q&A audience question.")
    hint_tokens: int = Field(default=200, ge=16, description="A time-out hint.")
    plan_tokens: int = Field(default=400, ge=32, description="A drafted action plan (JSON).")
    scenario_tokens: int = Field(default=900, ge=64, description="A drafted scenario (JSON).")
    data_dir: Path = Field(default_factory=_default_data_dir)
    knowledge_dir: Path = Field(default=PROJECT_ROOT / "knowledge")
    prompts_dir: Path = Field(default=PROJECT_ROOT / "prompts")
    embeddings: str = Field(
        default="minilm", description="'minilm' (built in) or 'ollama:<model>'."
    )
    chroma_url: str | None = Field(
        default=None,
        description="A Chroma server (e.g. http://10.0.0.5:8000) instead of the embedded store.",
    )
    # A team's database (README "Team deployment"); unset: SQLite in the data directory.
    database_url: str | None = Field(
        default=None,
        description="postgresql://user:password@host:port/dbname; unset: SQLite in data_dir.",
    )
    database_pool_min: int = Field(default=1, ge=0, description="Connections kept open.")
    database_pool_max: int = Field(default=10, ge=1, description="Most connections at once.")
    database_pool_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a call waits for a free connection."
    )
    database_connect_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for PostgreSQL to accept a connection."
    )
    database_statement_timeout: float = Field(
        default=30.0, gt=0, description="Seconds one statement may run before it is cancelled."
    )
    process_heartbeat: float = Field(
        default=5.0,
        gt=0,
        description="Seconds between an app process's 'alive' beats (PostgreSQL).",
    )
    process_stale_after: float = Field(
        default=20.0,
        gt=0,
        description="Seconds without a beat before a process's streaming replies are interrupted.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web app binds to.")
    port: int = Field(default=7860, ge=1, le=65535)
    language: Language = Field(default="en", description="Default language of the UI.")
    max_message_chars: int = Field(default=8000, ge=100)
    chat_concurrency: int = Field(
        default=4,
        ge=1,
        description="Replies streamed at once; match Ollama's OLLAMA_NUM_PARALLEL.",
    )
    browser_sessions: int = Field(
        default=48,
        ge=4,
        description=(
            "Browser sessions whose page state Gradio keeps in memory (least recently used "
            "first out). An evicted idle tab starts a fresh conversation on its next message; "
            "everything already said stays in the database and in History."
        ),
    )

    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Other web origins (e.g. https://intranet.example) that may call the app from a "
            "browser with the user's sign-in, comma-separated. Empty: the app's own origin only."
        ),
    )
    max_request_mb: float = Field(
        default=20.0,
        gt=0,
        description=(
            "Largest request body (an upload, a message) in MB; bigger ones get HTTP 413 "
            "before they are read. Uploads themselves are limited to 5 MB."
        ),
    )
    live_labels: bool = Field(
        default=True,
        description="Show skill labels under each of your lines in Rehearse and Q&A (issue #18).",
    )
    openness_meter: bool = Field(
        default=False,
        description="Show the counterpart's openness after each line while rehearsing.",
    )

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        origins = []
        for origin in value:
            cleaned = origin.rstrip("/").lower()
            if not re.fullmatch(r"https?://[^/\s]+", cleaned):
                raise ValueError(
                    f"{origin!r} is not an origin: write scheme://host[:port], e.g. "
                    "https://intranet.example"
                )
            origins.append(cleaned)
        return origins

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError(
                "COACH_DATABASE_URL must be a postgresql://user:password@host:port/dbname URL "
                "(leave it unset to keep SQLite in the data directory)"
            )
        return value or None

    @field_validator("ollama_host")
    @classmethod
    def _normalize_host(cls, value: str) -> str:
        hosts = [normalize_ollama_host(part) for part in value.split(",") if part.strip()]
        return ",".join(hosts) or normalize_ollama_host("")

    @model_validator(mode="after")
    def _split_ollama_pool(self) -> Settings:
        hosts = tuple(dict.fromkeys(self.ollama_host.split(",")))  # in order, each once
        self.ollama_host, self.ollama_hosts = hosts[0], hosts
        return self

    @property
    def database_path(self) -> Path:
        """The SQLite file holding users, sessions and turns."""
        return self.data_dir / "coach.sqlite3"

    @property
    def max_request_bytes(self) -> int:
        """``max_request_mb`` in bytes."""
        return int(self.max_request_mb * 1024 * 1024)

    @property
    def chroma_dir(self) -> Path:
        """The directory of the embedded Chroma store."""
        return self.data_dir / "chroma"
