"""Prompt templates as files under ``prompts/<mode>/<name>.<lang>.md``.

Files become langchain-core ``ChatPromptTemplate`` objects (f-string syntax; write ``{{`` for a
literal brace). Rendering with a variable missing is an error, never a silent blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import CoachError

if TYPE_CHECKING:  # imported on first use: it brings langsmith (about half a second)
    from langchain_core.prompts import ChatPromptTemplate


# Between a system prompt's parts (its fixed head and the session's own part).
PART_BREAK = "\n\n"


def join_parts(*parts: str) -> str:
    """A system prompt from its parts, the fixed head first: the head's text is then the
    exact start of every session's prompt, so the model's cache of it (warmed ahead of any
    session) is reused (DESIGN.md, prompt assembly)."""
    return PART_BREAK.join(part for part in parts if part)


class PromptError(CoachError):
    """A prompt file is missing or was rendered without one of its variables."""


@dataclass
class PromptLibrary:
    """Loads and caches prompt files from one directory."""

    root: Path
    _cache: dict[Path, ChatPromptTemplate] = field(default_factory=dict, init=False, repr=False)

    def path(self, mode: str, name: str, lang: str) -> Path:
        """Where a prompt file lives."""
        return self.root / mode / f"{name}.{lang}.md"

    def template(self, mode: str, name: str, lang: str) -> ChatPromptTemplate:
        """The prompt as a one-message (system) chat template."""
        path = self.path(mode, name, lang)
        if path not in self._cache:
            try:
                text = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise PromptError(
                    "prompt_missing",
                    f"The prompt file {path} could not be read: {exc}.",
                    f"Promptfilen {path} kunne ikke læses: {exc}.",
                ) from exc
            from langchain_core.prompts import ChatPromptTemplate

            self._cache[path] = ChatPromptTemplate.from_messages([("system", text)])
        return self._cache[path]

    def render(self, mode: str, name: str, lang: str, **variables: Any) -> str:
        """The prompt's text with every variable filled in; raises ``PromptError`` if one is
        missing."""
        template = self.template(mode, name, lang)
        missing = sorted(set(template.input_variables) - set(variables))
        if missing:
            path = self.path(mode, name, lang)
            raise PromptError(
                "prompt_variable_missing",
                f"The prompt {path} needs {', '.join(missing)}, which was not given.",
                f"Prompten {path} mangler {', '.join(missing)}.",
            )
        message = template.format_messages(**variables)[0]
        return str(message.content)
