"""Fitting a conversation into the model's context window without breaking the prompt prefix.

Ollama reuses its cache for the longest common prefix of consecutive requests, so history is
dropped from the start in whole blocks: after a trim, the next many requests share the same
prefix again instead of shifting by one turn every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A conservative estimate for Latin-script text: real tokenizers average 3.5-4.5 characters per
# token for English and Danish. Overestimating only trims a little early; underestimating would
# let Ollama truncate silently.
CHARS_PER_TOKEN = 3.2
MESSAGE_OVERHEAD_TOKENS = 6


def estimate_tokens(text: str) -> int:
    """An upper-leaning estimate of how many tokens a text costs."""
    return int(len(text) / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS


@dataclass(frozen=True)
class Budget:
    """How many prompt tokens a request may use: the window minus room for the reply."""

    num_ctx: int
    reply_reserve: int = 1024

    @property
    def prompt_tokens(self) -> int:
        """Tokens available for system prompt plus history plus the new message."""
        return max(self.num_ctx - self.reply_reserve, 256)


def trim_start(
    fixed_tokens: int, turn_tokens: Sequence[int], budget: Budget, *, block: int = 8
) -> int:
    """Index of the first history turn to keep so the request fits the budget.

    ``fixed_tokens`` is what is always sent (system prompt, the newest message); turns are
    dropped from the start in multiples of ``block`` so that the kept prefix stays the same
    for many turns after a trim. Returns ``len(turn_tokens)`` when even the newest turns do
    not fit.
    """
    available = budget.prompt_tokens - fixed_tokens
    total = sum(turn_tokens)
    start = 0
    while start < len(turn_tokens) and total > available:
        dropped = turn_tokens[start : start + block]
        total -= sum(dropped)
        start += len(dropped)
    return start
