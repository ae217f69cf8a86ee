"""A registry of components whose labels follow the page language.

Each tab registers its components with a function that returns the component's update for a
language; switching the language returns all those updates in one event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gradio.blocks import Block

B = TypeVar("B", bound=Block)


@dataclass
class Relabeler:
    """Components paired with how to re-label them."""

    entries: list[tuple[Block, Callable[[str], Any]]] = field(default_factory=list)

    def add(self, component: B, update: Callable[[str], Any]) -> B:
        """Register a component; returns it so creation and registration read as one line."""
        self.entries.append((component, update))
        return component

    @property
    def components(self) -> list[Block]:
        """The registered components, in registration order."""
        return [component for component, _ in self.entries]

    def updates(self, lang: str) -> list[Any]:
        """The updates for every registered component, in the same order."""
        return [update(lang) for _, update in self.entries]
