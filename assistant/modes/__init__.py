"""The practice modes, each named once: the registry the services, the page and History read.

A mode is a module under ``assistant/modes/`` (the engine: start, respond, retry and, where it
applies, debrief), a tab module under ``assistant/ui/``, its prompts under ``prompts/`` and its
strings under ``assistant/i18n/``. Its ``ModeSpec`` here says how to build the engine from the
shared parts and where its tab is; nothing else lists the modes. ``build_services`` takes the
specs as an argument (``MODES`` by default), so a test can add a mode without editing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.modes.base import Conversation, Mode
    from assistant.prompts import PromptLibrary


@dataclass(frozen=True)
class ModeParts:
    """What a mode is built from: the shared conversation engine, prompts and library."""

    conversation: Conversation
    prompts: PromptLibrary
    library: Any  # assistant.knowledge.Library (not imported here: it loads the store)


@dataclass(frozen=True)
class ModeSpec:
    """One mode: its stored name, how to build it, and where its tab is.

    ``tab`` is ``"module:function"``; the page imports it, so the engines never import the UI.
    The function is called as ``function(ctx, mode)`` inside the page's tabs and returns a
    ``assistant.ui.mode_tab.ModeTab``.
    """

    name: str
    build: Callable[[ModeParts], Mode]
    tab: str


def _reflect(parts: ModeParts) -> Mode:
    from assistant.modes.reflect import reflect_mode

    return reflect_mode(parts)


def _rehearse(parts: ModeParts) -> Mode:
    from assistant.modes.rehearse import rehearse_mode

    return rehearse_mode(parts.conversation, parts.prompts, parts.library)


def _qa(parts: ModeParts) -> Mode:
    from assistant.modes.qa import qa_mode

    return qa_mode(parts.conversation, parts.prompts, parts.library)


def _practice(parts: ModeParts) -> Mode:
    from assistant.modes.practice import practice_mode
    from assistant.modes.rehearse import rehearse_mode

    return practice_mode(rehearse_mode(parts.conversation, parts.prompts, parts.library))


# In the order of the page's tabs.
MODES: tuple[ModeSpec, ...] = (
    ModeSpec("reflect", _reflect, "assistant.ui.reflect_tab:build_reflect_tab"),
    ModeSpec("rehearse", _rehearse, "assistant.ui.rehearse_tab:build_rehearse_tab"),
    ModeSpec("qa", _qa, "assistant.ui.qa_tab:build_qa_tab"),
    ModeSpec("practice", _practice, "assistant.ui.practice_tab:build_practice_tab"),
)

__all__ = ["MODES", "ModeParts", "ModeSpec"]
