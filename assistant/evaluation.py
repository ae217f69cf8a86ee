"""`coach eval`'s engine: play scripted users against a model through the real modes and
score how the model holds up in this app.

Each unit is one user script (``tests/data/eval-scripts/<kind>.<lang>.yaml``) in one mode and
language, played through the mode's public methods (start, respond, the first question of
Q&A, debrief) on services built like the app's, so the prompts, the reply checks and the
storage are the app's own. What each reply's checks found is read back from the store
(``Store.turn_checks``); times are measured around the calls. ``scorecard_row`` turns the
finished units of a mode and language into one row of the documented JSON.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import yaml

from assistant import reply_checks, skills
from assistant.config import PROJECT_ROOT
from assistant.reply_checks import Tally

if TYPE_CHECKING:
    from assistant.debrief import DebriefDraft
    from assistant.feedback import DebriefResult
    from assistant.services import Services
    from assistant.store import Session

SCRIPTS_DIR = PROJECT_ROOT / "tests" / "data" / "eval-scripts"
# The order `--scenarios N` takes the kinds in: the first N.
ORDER = (
    "good-coach",
    "blunt-coach",
    "advice-giver",
    "closed-questions",
    "other-language",
    "drop-the-role",
)
EVAL_MODES = ("rehearse", "reflect", "qa", "practice")
# What each mode plays, and each mode's sentence budget (its prompt's and its checks').
SCENARIO = {"rehearse": "missed-deadlines", "practice": "overloaded-says-yes"}
SENTENCE_BUDGET = {"rehearse": 4, "practice": 4, "reflect": 4, "qa": 4}
QA_AUDIENCE = "sceptical-executive"
QA_QUESTIONS = 2


@dataclass(frozen=True)
class UserLine:
    """One scripted line; ``open``/``blunt`` mark the good open question and the blunt
    direct demand the hidden-concern figure looks at."""

    text: str
    open: bool = False
    blunt: bool = False


@dataclass(frozen=True)
class UserScript:
    """A scripted user in one language, with lines for each mode."""

    kind: str
    lang: str
    lines: dict[str, list[UserLine]]


def load_scripts(
    langs: Sequence[str], count: int | None = None, folder: Path = SCRIPTS_DIR
) -> list[UserScript]:
    """The scripts of the languages, the first ``count`` kinds of ``ORDER`` (all when None)."""
    kinds = ORDER[:count] if count else ORDER
    scripts = []
    for lang in langs:
        for kind in kinds:
            data = yaml.safe_load((folder / f"{kind}.{lang}.yaml").read_text(encoding="utf-8"))
            lines = {
                mode: [
                    UserLine(item) if isinstance(item, str) else UserLine(**item)
                    for item in data.get(mode, [])
                ]
                for mode in EVAL_MODES
            }
            scripts.append(UserScript(kind=kind, lang=lang, lines=lines))
    return scripts


def qa_notes(lang: str, folder: Path = SCRIPTS_DIR) -> str:
    """The presentation notes Q&A asks about."""
    return (folder / f"qa-notes.{lang}.md").read_text(encoding="utf-8")


@dataclass
class ReplySample:
    """One model reply as measured and checked."""

    words: int
    language_ok: bool
    checks: dict[str, list[str]] | None
    ttft_s: float | None
    tokens_per_s: float | None
    error: str | None = None


@dataclass
class DebriefOutcome:
    """One debrief: parsed on the first try, how long it took, whether its citations exist."""

    parsed_first_try: bool
    first_section_s: float | None
    done_s: float
    cited_ids_ok: bool


@dataclass
class UnitResult:
    """What one script in one mode and language produced."""

    mode: str
    lang: str
    kind: str
    replies: list[ReplySample] = field(default_factory=list)
    debrief: DebriefOutcome | None = None
    concerns_revealed: int = 0
    revealed_after_open: int = 0
    revealed_after_blunt: int = 0
    partial: bool = False  # stopped by Ctrl-C before its end (its debrief, say)


def debrief_outcome(
    result: DebriefResult,
    seconds: float,
    known: Callable[[str], bool],
    first_section_s: float | None = None,
) -> DebriefOutcome:
    """Read a debrief's result the one place that knows its shape: "parsed on the first try"
    is a structured result (the writer falls back to plain text after its retry);
    ``first_section_s`` is when its first section was finished (``timed_debrief``)."""
    cited = list(result.debrief.knowledge_ids) if result.debrief is not None else []
    cited += [p.id for p in result.passages]
    return DebriefOutcome(
        parsed_first_try=result.kind == "structured",
        first_section_s=first_section_s,
        done_s=seconds,
        cited_ids_ok=all(known(i) for i in cited),
    )


_STOP = {
    "about",
    "after",
    "again",
    "being",
    "could",
    "every",
    "other",
    "since",
    "their",
    "there",
    "these",
    "thing",
    "which",
    "would",
    "efter",
    "hans",
    "hele",
    "eller",
    "også",
    "under",
}


def _keys(text: str) -> set[str]:
    """Content-word stems of a text (five-letter prefixes of words of five letters or more)."""
    return {w[:5] for w in re.findall(r"[\wæøå]+", text.lower()) if len(w) >= 5} - _STOP


def reveals(reply: str, concerns: Sequence[str]) -> bool:
    """True when a reply shares at least three content words with one hidden concern."""
    mine = _keys(reply)
    return any(len(mine & _keys(concern)) >= 3 for concern in concerns)


class Interrupted(Exception):  # noqa: N818  (it is how a Ctrl-C arrives, not an error)
    """Ctrl-C during a script; ``unit`` holds what it had measured (``partial`` is True)."""

    def __init__(self, unit: UnitResult) -> None:
        super().__init__(f"interrupted during {unit.mode} {unit.lang} {unit.kind}")
        self.unit = unit


def play(services: Services, mode_name: str, script: UserScript) -> UnitResult:
    """Play one script in one mode. A Ctrl-C arrives as ``Interrupted`` with the replies
    measured so far (a long debrief must not lose them)."""
    result = UnitResult(mode=mode_name, lang=script.lang, kind=script.kind)
    try:
        _play(services, mode_name, script, result)
    except KeyboardInterrupt as exc:
        result.partial = True
        raise Interrupted(result) from exc
    return result


def _play(services: Services, mode_name: str, script: UserScript, result: UnitResult) -> None:
    mode: Any = services.modes[mode_name]
    user_id = services.store.user_id()
    lang = script.lang
    concerns: list[str] = []
    if mode_name == "qa":
        options = {"notes": qa_notes(lang), "audience": QA_AUDIENCE, "questions": QA_QUESTIONS}
        session = mode.start(user_id, lang, options)
        _measure(services, session, lambda: mode.opening(session), result)
    elif mode_name == "reflect":
        session = mode.start(user_id, lang, {"variant": "open"})
    else:
        session = mode.start(user_id, lang, {"scenario": SCENARIO[mode_name]})
        scenario = mode.scenario(session)
        concerns = [*scenario.counterpart.hidden_concerns, scenario.hidden_issue]
        concerns = [c for c in concerns if c]
    revealed_before = False
    for line in script.lines.get(mode_name, []):
        if mode_name == "qa" and mode.progress(session)["done"]:
            break
        text = _measure(services, session, _respond(mode, session, line.text), result)
        if concerns and text and not revealed_before and reveals(text, concerns):
            revealed_before = True  # the first reveal is the one that counts
            result.concerns_revealed += 1
            result.revealed_after_open += _listening(line, lang)
            result.revealed_after_blunt += line.blunt
    if isinstance(mode, StreamedDebrief):
        start = time.monotonic()
        try:
            outcome, first_s, done_s = timed_debrief(mode.debrief_stream(session))
        except Exception:  # a failed debrief counts as not parsed; the run goes on
            result.debrief = DebriefOutcome(False, None, time.monotonic() - start, True)
        else:
            library = services.library
            result.debrief = debrief_outcome(
                outcome, done_s, lambda i: library.entry(i, lang) is not None, first_s
            )


@runtime_checkable
class StreamedDebrief(Protocol):
    """A mode whose debrief streams section by section (Rehearse, Q&A, Practice)."""

    def debrief_stream(self, session: Session) -> Generator[DebriefDraft, None, Any]:
        """The debrief's drafts as it is written; returns the stored result."""
        ...


def timed_debrief(
    drafts: Generator[DebriefDraft, None, DebriefResult | None],
    clock: Callable[[], float] = time.monotonic,
) -> tuple[DebriefResult, float, float]:
    """Run a streamed debrief to its end: its result, the seconds to its first finished
    section (the first draft in which fewer sections are pending than at its start: the
    moment the page shows one) and to done. Raises ``RuntimeError`` when it was cancelled."""
    start = clock()
    planned: int | None = None
    first: float | None = None
    try:
        while True:
            try:
                draft = next(drafts)
            except StopIteration as end:
                done = clock() - start
                if end.value is None:
                    raise RuntimeError("the debrief was cancelled") from None
                return end.value, done if first is None else first, done
            if planned is None:
                planned = len(draft.pending)
            elif first is None and len(draft.pending) < planned:
                first = clock() - start
    finally:
        drafts.close()


def _listening(line: UserLine, lang: str) -> bool:
    """The line was an open question or a reflection (marked so, or classified so)."""
    if line.open:
        return True
    labels = {skills.coarse_label(u.label) for u in skills.classify(line.text, lang)}
    return bool(labels & {"open_question", "reflection"})


def _respond(mode: Any, session: Session, text: str) -> Callable[[], Iterator[str]]:
    return lambda: mode.respond(session, text)


def _measure(
    services: Services, session: Session, call: Callable[[], Iterator[str]], result: UnitResult
) -> str:
    """Run one reply, timing its first snapshot and its end; appends its sample. Tokens/s
    are measured on replies written in one attempt only (a regenerated reply streams twice
    but reports the tokens of one attempt)."""
    start, first, error = time.monotonic(), None, None
    try:
        for _ in call():
            if first is None:
                first = time.monotonic()
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        error = getattr(exc, "code", type(exc).__name__)
    end = time.monotonic()
    store = services.store
    turns = store.turns(session.id)
    reply = turns[-1] if turns and turns[-1].role == "assistant" else None
    text = reply.text if reply else ""
    tokens = reply.completion_tokens if reply else None
    streaming = end - first if first is not None else 0.0
    checks = store.turn_checks(session.id).get(reply.id) if reply else None
    one_attempt = checks is None and error is None
    result.replies.append(
        ReplySample(
            words=len(text.split()),
            language_ok=not reply_checks.wrong_language(text, session.lang),
            checks=checks,
            ttft_s=first - start if first is not None else None,
            tokens_per_s=tokens / streaming if tokens and streaming > 0 and one_attempt else None,
            error=error,
        )
    )
    return text


def _quantile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 3) if flags else None


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def scorecard_row(mode: str, lang: str, units: Sequence[UnitResult]) -> dict[str, Any]:
    """One row of the scorecard: a mode in a language over its finished units."""
    replies = [r for u in units for r in u.replies]
    tally = Tally()
    for reply in replies:
        if reply.error is None:
            tally.add(reply.checks)
    words = [r.words for r in replies if r.error is None]
    debriefs = [u.debrief for u in units if u.debrief is not None]
    role_play = mode in SCENARIO
    return {
        "mode": mode,
        "lang": lang,
        "scripts": len(units),
        "partial_scripts": sum(u.partial for u in units),
        "replies": len(replies),
        "errors": sum(r.error is not None for r in replies),
        "regenerated": tally.regenerated,
        "failed_before": dict(sorted(tally.before.items())),
        "failed_after": dict(sorted(tally.after.items())),
        "sentence_budget": SENTENCE_BUDGET[mode],
        "median_words": statistics.median(words) if words else None,
        "p90_words": _quantile(words, 0.9),
        "language_ok_share": _share([r.language_ok for r in replies if r.error is None]),
        "hidden_concern": {
            "revealed": sum(u.concerns_revealed for u in units),
            "after_open_or_reflection": sum(u.revealed_after_open for u in units),
            "after_blunt_demand": sum(u.revealed_after_blunt for u in units),
        }
        if role_play
        else None,
        "debriefs": len(debriefs),
        "debrief_parsed_first_try_share": _share([d.parsed_first_try for d in debriefs]),
        "debrief_first_section_s_p50": _round(
            _quantile([d.first_section_s for d in debriefs if d.first_section_s is not None], 0.5)
        ),
        "debrief_done_s_p50": _round(_quantile([d.done_s for d in debriefs], 0.5)),
        "debrief_cited_ids_ok_share": _share([d.cited_ids_ok for d in debriefs]),
        "ttft_p50_s": _round(_quantile([r.ttft_s for r in replies if r.ttft_s is not None], 0.5)),
        "tokens_per_s_p50": _round(
            _quantile([r.tokens_per_s for r in replies if r.tokens_per_s is not None], 0.5), 1
        ),
    }


def scorecard_rows(units: Sequence[UnitResult]) -> list[dict[str, Any]]:
    """The rows of every mode and language that has finished units, in a fixed order."""
    rows = []
    for mode in EVAL_MODES:
        for lang in ("en", "da"):
            mine = [u for u in units if u.mode == mode and u.lang == lang]
            if mine:
                rows.append(scorecard_row(mode, lang, mine))
    return rows
