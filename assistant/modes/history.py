"""Fitting a conversation into the model's context window without breaking the prompt prefix.

Ollama reuses its cache for the longest common prefix of consecutive requests, so history is
dropped from the start in whole blocks: after a trim, the next many requests share the same
prefix again instead of shifting by one turn every time.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

# A conservative estimate for Latin-script text: real tokenizers average 3.5-4.5 characters per
# token for English and Danish. Overestimating only trims a little early; underestimating would
# let Ollama truncate silently. `TokenCalibration` replaces it with what the model reports.
CHARS_PER_TOKEN = 3.2
MESSAGE_OVERHEAD_TOKENS = 6

# Bounds of a calibrated ratio: below 1.5 characters per token no Latin-script tokenizer goes
# (it would trim nearly everything); above 5.0 is not a real count but a partial one (some
# Ollama versions report only the tokens they did not find in the prompt cache).
MIN_CHARS_PER_TOKEN = 1.5
MAX_CHARS_PER_TOKEN = 5.0
# Only prompts this long calibrate: in shorter ones the chat template's own tokens dominate.
MIN_CALIBRATION_CHARS = 1500
# The calibrated ratio is the lowest of the recent observations, shaved by this margin.
CALIBRATION_MARGIN = 0.95
CALIBRATION_WINDOW = 16


def estimate_tokens(text: str, chars_per_token: float = CHARS_PER_TOKEN) -> int:
    """An upper-leaning estimate of how many tokens a text costs as one chat message."""
    return int(len(text) / chars_per_token) + MESSAGE_OVERHEAD_TOKENS


@dataclass
class TokenCalibration:
    """Per-model characters-per-token ratios learnt from the ``prompt_eval_count`` Ollama returns.

    After each reply, `observe` gets the characters sent and the tokens the model counted (its
    chat template included). The ratio used for the next estimate is the lowest of the last
    `CALIBRATION_WINDOW` plausible observations times `CALIBRATION_MARGIN`, kept within
    [`MIN_CHARS_PER_TOKEN`, `MAX_CHARS_PER_TOKEN`]: it errs towards counting more tokens, so a
    request estimated to fit does fit. Counts that cannot be whole-prompt counts (missing, zero,
    or more than `MAX_CHARS_PER_TOKEN` characters per token, as when a cached prefix is left
    out) and short prompts are ignored. Until a model has been observed, `CHARS_PER_TOKEN`
    applies. Safe to share between threads.
    """

    default: float = CHARS_PER_TOKEN
    _seen: dict[str, deque[float]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def ratio(self, model: str) -> float:
        """Characters per token to assume for ``model`` now."""
        with self._lock:
            seen = self._seen.get(model)
            if not seen:
                return self.default
            return max(MIN_CHARS_PER_TOKEN, min(seen) * CALIBRATION_MARGIN)

    def estimate(self, model: str, text: str) -> int:
        """`estimate_tokens` with ``model``'s calibrated ratio."""
        return estimate_tokens(text, self.ratio(model))

    def observe(self, model: str, chars: int, prompt_tokens: int | None) -> bool:
        """Learn from one request of ``chars`` characters that the model counted as
        ``prompt_tokens``; returns whether the observation was used."""
        if not prompt_tokens or prompt_tokens <= 0 or chars < MIN_CALIBRATION_CHARS:
            return False
        observed = chars / prompt_tokens
        if observed > MAX_CHARS_PER_TOKEN:
            return False
        with self._lock:
            seen = self._seen.setdefault(model, deque(maxlen=CALIBRATION_WINDOW))
            seen.append(max(observed, MIN_CHARS_PER_TOKEN))
        return True


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

    ``fixed_tokens`` is what is always sent (system prompt, the newest message). Turns are
    dropped from the start in whole blocks of ``block`` turns, and only at *anchors*: the block
    boundaries where the tokens before them cross a multiple of a third of the prompt budget.
    A trim therefore frees at least a third of the window, so the kept prefix stays the same for
    many turns after it (each trim makes the model re-read the kept history once). The anchors
    depend only on the turns before them, so the trim point never moves back as history grows.
    Returns ``len(turn_tokens)`` when even the newest turns do not fit.
    """
    available = budget.prompt_tokens - fixed_tokens
    total = sum(turn_tokens)
    if total <= available:
        return 0
    step = max(budget.prompt_tokens // 3, 1)
    dropped = 0
    for start in range(0, len(turn_tokens), block):
        before = dropped
        dropped += sum(turn_tokens[start : start + block])
        end = min(start + block, len(turn_tokens))
        anchor = dropped // step > before // step or end == len(turn_tokens)
        if anchor and total - dropped <= available:
            return end
    return len(turn_tokens)
