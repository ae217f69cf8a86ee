"""Components whose labels follow the page language.

Each tab registers its components with a function that returns the component's update for a
language; switching the language returns all those updates in one event. ``Labels`` builds
the common components from their i18n keys, so each key is written once
(``labels.button("send")``) instead of once for the page's first language and once more for
the re-label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import gradio as gr
from gradio.blocks import Block

from assistant.ui.i18n import t

B = TypeVar("B", bound=Block)
Choices = Callable[[str], list[Any]]


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


@dataclass
class Labels:
    """Builds components from i18n keys and registers their re-label in one call.

    ``label``, ``placeholder`` and ``info`` name i18n keys; ``choices`` is a function of the
    language. Every other keyword goes to the component unchanged.
    """

    relabel: Relabeler
    lang: str

    def text(
        self, kind: type[B], key: str, /, values: dict[str, Any] | None = None, **kw: Any
    ) -> B:
        """A component whose first argument is its text (Button, Markdown)."""
        values = values or {}
        component = kind(t(self.lang, key, **values), **kw)  # type: ignore[call-arg]
        return self.relabel.add(component, lambda lang: kind(t(lang, key, **values)))  # type: ignore[call-arg]

    def button(self, key: str, /, **kw: Any) -> gr.Button:
        """A button labelled with ``key``."""
        return self.text(gr.Button, key, **kw)

    def markdown(self, key: str, /, values: dict[str, Any] | None = None, **kw: Any) -> gr.Markdown:
        """A Markdown block showing ``key`` (formatted with ``values``)."""
        return self.text(gr.Markdown, key, values, **kw)

    def labelled(
        self,
        kind: type[B],
        label: str,
        /,
        *,
        placeholder: str | None = None,
        info: str | None = None,
        choices: Choices | None = None,
        **kw: Any,
    ) -> B:
        """A component with a label (and optionally a placeholder, an info line, choices)."""

        def texts(lang: str) -> dict[str, Any]:
            shown: dict[str, Any] = {"label": t(lang, label)}
            if placeholder:
                shown["placeholder"] = t(lang, placeholder)
            if info:
                shown["info"] = t(lang, info)
            if choices is not None:
                shown["choices"] = choices(lang)
            return shown

        component = kind(**texts(self.lang), **kw)
        return self.relabel.add(component, lambda lang: kind(**texts(lang)))

    def tab(self, key: str, /, **kw: Any) -> gr.Tab:
        """A tab titled with ``key``."""
        return self.labelled(gr.Tab, key, **kw)

    def accordion(self, key: str, /, **kw: Any) -> gr.Accordion:
        """An accordion titled with ``key``."""
        return self.labelled(gr.Accordion, key, **kw)

    def textbox(self, key: str, /, **kw: Any) -> gr.Textbox:
        """A text box labelled with ``key``."""
        return self.labelled(gr.Textbox, key, **kw)

    def radio(self, key: str, /, **kw: Any) -> gr.Radio:
        """A radio group labelled with ``key``."""
        return self.labelled(gr.Radio, key, **kw)

    def dropdown(self, key: str, /, **kw: Any) -> gr.Dropdown:
        """A dropdown labelled with ``key``."""
        return self.labelled(gr.Dropdown, key, **kw)

    def chatbot(self, key: str, /, **kw: Any) -> gr.Chatbot:
        """A chat labelled with ``key``."""
        return self.labelled(gr.Chatbot, key, **kw)
