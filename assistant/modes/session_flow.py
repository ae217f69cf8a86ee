"""The stages of a Reflect session and how a session moves between them.

The stage is not part of the fixed system prompt: a short note about the current stage is
added to the newest user message only. The coach ends a reply with ``[[next]]`` when a stage's
work is done; the app hides the marker and moves on. The person can also say so, or jump to
any stage on the page.
"""

from __future__ import annotations

import re

STAGES = ("check-in", "goal", "exploration", "action", "close")
NEXT_MARKER = "[[next]]"

# A marker still arriving token by token ("[", "[[ne") must not flash on screen.
_PARTIAL_MARKER = re.compile(r"\s*\[(\[(n(e(xt?)?)?)?)?\]?$")

_MOVE_ON = re.compile(
    r"\b(let'?s move on|move on|next (step|stage)|ready (for|to make) (a|an|the) (plan|action)"
    r"|make a plan|action plan|lad os gå videre|gå videre|videre til|næste (skridt|fase|trin)"
    r"|klar til (en|at lave en) (plan|handlingsplan)|lave en plan|handlingsplan)\b",
    re.IGNORECASE,
)


def strip_marker(text: str) -> str:
    """The reply as shown: without the stage marker, also while it is still arriving."""
    return _PARTIAL_MARKER.sub("", text.replace(NEXT_MARKER, "")).rstrip()


def next_stage(stage: str) -> str:
    """The stage after this one (the last stage stays where it is)."""
    index = STAGES.index(stage) if stage in STAGES else 0
    return STAGES[min(index + 1, len(STAGES) - 1)]


_WANTS_PLAN = re.compile(r"\b(plan|handlingsplan)\b", re.IGNORECASE)


def user_wants_to_move_on(text: str) -> bool:
    """True when the person says they want to go on ("let's move on", "lad os gå videre")."""
    return _MOVE_ON.search(text) is not None


def stage_asked_for(text: str, current: str) -> str | None:
    """The stage the person's words ask for, or None: "let's make a plan" goes straight to
    the action plan, "let's move on" to the next stage; never backwards."""
    if not user_wants_to_move_on(text):
        return None
    if _WANTS_PLAN.search(text) and STAGES.index(current) < STAGES.index("action"):
        return "action"
    return next_stage(current)
