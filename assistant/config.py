"""Settings: the one place configuration is read (env prefix ``COACH_``, optional ``.env``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import AliasChoices, Field, field_validator
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

    @field_validator("ollama_host")
    @classmethod
    def _normalize_host(cls, value: str) -> str:
        return normalize_ollama_host(value)

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
