"""User latency with a model's cost: what a person waits for, action by action, in every mode.

    python bench/bench_user_latency.py                       # laptop-cpu and gpu, every mode
    python bench/bench_user_latency.py --json > rows.json    # the rows as JSON
    python bench/bench_user_latency.py --profile "P=85,G=14,load=4" --modes rehearse

The app runs in process (``build_services``: the real modes, ChatOllama, SQLite, Chroma)
against the Ollama HTTP double with its cost model on (tests/fixtures/model_cost.py): load
time, prefill of the prompt tokens a slot does not already hold, generation at the profile's
rate (slower for ``format`` output), one slot (``OLLAMA_NUM_PARALLEL=1``), Ollama's 5-minute
keep_alive. A scripted user reads and types in simulated time (10 s from opening the page, or
the mode's tab, to starting a session: reading the scenario list or pasting the notes; 8 s
before the first line, 5 s between lines), so anything the app does in the background
meanwhile (a warm-up) counts. Opening the page does what the page does (assistant/ui/status.py):
it warms the mode's prompt head (``warm_mode_head``); Reflect's tab also shows its opening
(``first_line``, which warms the whole prefix); half-way, Rehearse's and Practice's scenario
is picked (``warm_scenario``: its system prompt and opening) and Q&A's audience
(``warm_audience``, the notes pasted by then: the whole system prompt). ``--page-read 0``
starts every session as the page opens, with no page-open warm-up (the script before these
warm-ups existed).

Every mode group starts with the model not loaded (a fresh server): the first model request
of the group pays the load. Each row is one user action:

- ``first_visible_s``: simulated seconds from the click until the first text appears (for an
  action that does not stream, until it is done);
- ``done_s``: until the action is complete;
- ``prefill_tokens`` / ``generated_tokens``: summed over the model requests on the critical
  path (those that started after the click and ended before the action did; a background
  request the action did not wait for is not counted, one it waited for shows in the times);
- ``cache_reused``: whether the action's first request found at least half of its prompt in
  the slot's cache (``None`` when the action made no model request).

The app's own work counts at its real duration; only the model's time is simulated, and
``--time-scale`` (wall seconds per simulated second) only changes how long the run takes.
Model replies are scripted with realistic lengths (persona and coach lines about 80 estimated
tokens; JSON answers filled to the schema), and valid, so no row includes a retry after a
parse failure. ``--after-start module:function`` calls ``function(services, mode, session)``
right after each session starts, for a warm-up that lives outside the modes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine, table  # noqa: E402
from tests.fixtures.model_cost import CostProfile, ModelServer  # noqa: E402
from tests.fixtures.ollama_double import OllamaDouble, example_for_schema  # noqa: E402

GROUPS = ("reflect", "rehearse", "qa", "practice", "plan", "scenario")
"""Mode groups in run order; ``plan`` and ``scenario`` report under the modes that use them."""
STORED_MODE = {"plan": "plan", "scenario": "rehearse"}
PAGE_READ_S = 10.0
"""From opening the page (or the mode's tab) to starting a session: reading the scenario list
and a scenario, or pasting the notes and picking an audience."""
FIRST_READ_S = 8.0
BETWEEN_LINES_S = 5.0
LATER_TURNS = 3
LONG_LINES = 20
"""Lines of the long session each conversation mode ends with (issue #16: later replies within
1 s "for sessions up to 20 turns")."""
APP_START_S = 3.5
"""From ``python app.py`` asking Ollama to load the model as it starts (``WarmUp.app_start``,
about 0.5 s after the process starts) to its page answering, as ``python
bench/bench_cold_start.py --runs 7 --skip-empty`` measures it: 4.3-5.4 s (median 4.7) on this
machine while it was slow (the page answering after 4.8-5.9 s); quiet, the page answers after
about 4.1 s, so about 3.5 s. Taken at that low end: a faster laptop also starts the app faster.
The person is assumed to open the page the moment it answers."""

REPLY = (
    "I hear that the last three reports came late and that the team waited. The numbers from "
    "finance kept arriving on Thursday, and I did not want to send something half done. I "
    "should have told you earlier instead of going quiet, and it has been a heavy month. "
    "What would help you most when that happens again?"
)
FIELD_TEXT = "Your opening named the late reports and the team's wait plainly and calmly"
LINES = {
    "reflect": "I keep postponing the talk with Sam about the missed deadlines; every week I "
    "tell myself it will be easier next week, and every week it gets harder to start.",
    "rehearse": "Sam, I want to talk about the last three deadlines. The report came two days "
    "late each time and the team had to wait. What is getting in the way?",
    "qa": "The pilot cut handling time by a fifth in six weeks; the cost is one extra licence "
    "per team, which the saved hours pay back within the first quarter.",
    "practice": "What have you already tried to get the handover done, and what would be "
    "different for you when it is finished?",
}
NOTES = (
    "# Faster support handovers\n\nWe piloted a shared handover note in two teams for six "
    "weeks.\n\n## Results\n\nHandling time fell by 21 percent; reopened tickets fell by a "
    "third.\n\n## Cost\n\nOne extra licence per team; training took two hours.\n\n## Ask\n\n"
    "Roll it out to all eight teams next quarter."
)


@dataclass
class Row:
    """One user action as the benchmark reports it."""

    profile: str
    mode: str
    action: str
    first_visible_s: float
    done_s: float
    prefill_tokens: int
    generated_tokens: int
    cache_reused: bool | None
    requests: int = 0
    """Model requests on the critical path (the table shows it; `to_json` leaves it out)."""

    def to_json(self) -> dict[str, Any]:
        """The documented JSON row."""
        row = asdict(self)
        del row["requests"]
        return row


# --------------------------------------------------------------------------------------------
# Scripted model replies
# --------------------------------------------------------------------------------------------


# Free-text replies of about 80 estimated tokens, four sentences each (within every mode's
# sentence budget) and different from each other, so the app's reply checks (echo of an
# earlier reply, too long) pass them as they would a good model's line.
REPLIES = (
    REPLY,
    "The numbers from finance kept arriving on Thursday, and I waited for them instead of "
    "sending a draft. That left the team without anything to start from on Friday morning. "
    "I can see now how that looked from your side of the table. What would you want me to do "
    "the next time the figures are late?",
    "Honestly, the second team's requests have been landing on my desk first since the "
    "reorganisation, and I said yes to all of them. Nobody asked me what that would do to the "
    "report. I should have raised it with you before the third deadline slipped. Can we look "
    "at the priorities together this week?",
    "When the extract is late I spend the whole evening fixing the joins by hand, which is "
    "why the checks slip too. Part of it is the old tooling that only I know how to run. I "
    "would like someone else to learn it with me before the next release. Would that be "
    "something you could make room for?",
    "I did not know the client had noticed the delays, and that worries me more than the "
    "dates themselves. It changes what I would put first on a Monday. Maybe a short check-in "
    "on Wednesdays would catch it before the week is lost. How do you see the timing of that?",
    "Looking back, the first slip was small and I thought I could catch up quietly. By the "
    "second one the backlog from the other team had doubled. I kept hoping the next sprint "
    "would be calmer, and it never was. Where would you draw the line for raising it earlier?",
    "What I need most is a clear signal from you when a date is fixed and when it can move. "
    "Half of the time I guessed, and I guessed wrong twice. A short list each Monday would "
    "settle it for me. Would you be willing to try that for a month?",
    "I am a little embarrassed that it took three late reports for us to talk about it. The "
    "team has been patient with me, more than I deserved. I want to repair that with them as "
    "well, not only with you. Could I say something at Friday's stand-up?",
)
FORM_FILL = "It named the effect on the team plainly and left room for an answer"


def model_reply(messages: Sequence[Mapping[str, Any]]) -> str:
    """Every free-text reply: a debrief section answers in the form it was asked for (the
    first rating, a sentence for every other field); anything else is a persona or coach line
    of about 80 estimated tokens, a different one each turn."""
    last = str(messages[-1].get("content") or "") if messages else ""
    marker = last.rfind("form:")
    if marker >= 0 and "<" in last[marker:]:
        form = last[marker + len("form:") :].strip()

        def fill(match: re.Match[str]) -> str:
            field = match.group(1)
            return "4" if field.startswith(("rating", "karakter")) else FORM_FILL

        return re.sub(r"<([^<>]+)>", fill, form)
    turns = sum(1 for m in messages if m.get("role") == "assistant")
    return REPLIES[turns % len(REPLIES)]


def debrief_reply(messages: Sequence[Mapping[str, Any]]) -> str:
    """A structured debrief that passes the app's checks: quotes of the user's own scripted
    line, suggestions opening with the invitation phrase, one rating per success criterion
    (the numbered lines of the system prompt); about 750 estimated tokens, like the 807 a real
    small model wrote (issue #16)."""
    from assistant import i18n

    system = str(messages[0].get("content") or "") if messages else ""
    request = "\n".join(str(m.get("content") or "") for m in messages)
    lang = "da" if "Du " in system[:400] else "en"
    line = next((text for text in LINES.values() if text[:40] in request), LINES["rehearse"])
    words = line.split()
    quotes = [" ".join(words[:7]), " ".join(words[7:14])]
    criteria = re.findall(r"^\d+\. (.+)$", system, flags=re.MULTILINE)
    invite = i18n.t(lang, "debrief_try_next")
    why = f"{FIELD_TEXT}, which kept the talk on facts and left room for an answer."
    debrief = {
        "strengths": [{"quote": quote, "why_it_worked": why} for quote in quotes],
        "growth_areas": [
            {
                "suggestion": f"{invite} naming the effect on the team before asking for "
                "reasons, so the request is clear from the start.",
                "alternative_line": "When the report is late, the team cannot start; can we "
                "agree on what Thursday needs to look like?",
            }
        ]
        * 2,
        "ratings": [{"criterion": c, "rating": 3, "evidence": why} for c in criteria],
        "counterpart_perspective": {"how_they_felt": why * 2, "what_landed": why * 2},
        "knowledge_ids": [],
    }
    return json.dumps(debrief, ensure_ascii=False)


def debrief_text(drafts: Iterator[Any]) -> Iterator[str]:
    """A streamed debrief as the text the page shows so far: the computed facts (counts and
    quotes, shown at the click) and then each section the model has finished."""
    from assistant.debrief.sections import SECTIONS

    for draft in drafts:
        debrief = draft.result.debrief
        done = [section for section in SECTIONS if section not in draft.pending]
        shown = [*(debrief.facts if debrief else []), *done]
        yield " ".join(shown)


def plan_questions(request: str) -> dict[str, str]:
    """The numbered question texts (``"N. text"`` lines) a tailoring request lists."""
    block = re.search(r"<questions>\n(.*?)\n</questions>", request, flags=re.DOTALL)
    lines = block.group(1).splitlines() if block else []
    return dict(line.split(". ", 1) for line in lines if ". " in line)


def schema_reply(messages: Sequence[Mapping[str, Any]], fmt: Any) -> str:
    """A valid JSON answer: a tailored plan rephrases each numbered question; anything else
    is the schema filled with a sentence per text field."""
    request = "\n".join(str(m.get("content") or "") for m in messages)
    properties = fmt.get("properties", {}) if isinstance(fmt, dict) else {}
    if "strengths" in properties:
        return debrief_reply(messages)
    questions = plan_questions(request)
    if questions and set(properties) <= set(questions):
        answer = {key: f"{questions[key].rstrip('?')} in this situation?" for key in properties}
        return json.dumps(answer, ensure_ascii=False)
    return json.dumps(example_for_schema(fmt, FIELD_TEXT), ensure_ascii=False)


def items_shown(steps: Iterator[Any], count: Callable[[Any], int]) -> Iterator[str]:
    """A stream of finished items (tailored questions, drafted fields) as what the page
    shows so far: nothing until the first item is done (``count(step)`` of them), then a
    text per step."""
    for step in steps:
        yield f"{count(step)} done" if count(step) else ""


# --------------------------------------------------------------------------------------------
# Timing one action
# --------------------------------------------------------------------------------------------


class Stopwatch:
    """Times user actions in simulated seconds and finds the model requests they waited for."""

    def __init__(
        self,
        profile: str,
        server: ModelServer,
        rows: list[Row],
        mode: str,
        page_read: float = PAGE_READ_S,
    ) -> None:
        self.profile, self.server, self.rows, self.mode = profile, server, rows, mode
        self.page_read = page_read

    def time(
        self,
        action: str,
        work: Callable[[], Any],
        *,
        record: bool = True,
        by_token: bool = True,
    ) -> Any:
        """Run ``work`` (an iterator is drained, its first non-empty item being the first
        visible text) and record its row (unless ``record`` is false); returns what ``work``
        returned (an iterator's last item). ``by_token``: the first visible text is the
        first token of the request that produced it (streamed text); without, it is when the
        first non-empty item came (a finished question or field of a JSON answer)."""
        first_charge = len(self.server.charges)
        start = time.monotonic()
        first: float | None = None
        result = work()
        if isinstance(result, Iterator):  # streamed: each item is the text so far
            last = None
            for last in result:
                if first is None and last:
                    first = time.monotonic()
            result = last
        end = time.monotonic()
        if not record:
            return result
        charges = [
            c
            for c in self.server.charges[first_charge:]
            if c.wall_end is not None and c.wall_end <= end and c.done_reason != "load"
        ]
        reused = None
        if charges:
            head = charges[0]
            reused = head.cached_tokens >= 0.5 * head.prompt_tokens
        shown = self.server.simulated(start, first or end)
        if first is not None and by_token:
            # The first visible text came from the latest request that had produced a token by
            # then; count until that token. (Scaled time makes tokens arrive in bursts, so the
            # client may see them a few real ms late; the app's own delivery time is what the
            # app-overhead benchmarks measure.)
            producing = [c for c in charges if c.wall_first is not None and c.wall_first <= first]
            if producing:
                token_at = max(producing, key=lambda c: c.wall_start).wall_first
                shown = self.server.simulated(start, cast(float, token_at))
        self.rows.append(
            Row(
                profile=self.profile,
                mode=self.mode,
                action=action,
                first_visible_s=round(shown, 2),
                done_s=round(self.server.simulated(start, end), 2),
                prefill_tokens=sum(c.prefilled_tokens for c in charges),
                generated_tokens=sum(c.eval_tokens for c in charges),
                cache_reused=reused,
                requests=len(charges),
            )
        )
        return result

    def user_waits(self, seconds: float) -> None:
        """The user reads and types (simulated time passes; background work carries on)."""
        self.server.idle(seconds)


# --------------------------------------------------------------------------------------------
# The scripted user, per mode group
# --------------------------------------------------------------------------------------------


def after_start_hook(spec: str | None) -> Callable[[Any, str, Any], None]:
    """The ``--after-start module:function`` hook (a no-op without one)."""
    if not spec:
        return lambda services, mode, session: None
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def start_app(watch: Stopwatch, services: Any, seconds: float) -> None:
    """The app starts (``coach serve``): it asks Ollama to load the model
    (``WarmUp.app_start``), and the page answers ``seconds`` later, when the person opens it.
    With 0 the page opens on an app that has run for a while with the model unloaded
    meanwhile: nothing loads it before the page does."""
    warm_up = services.conversation.warm_up
    if seconds > 0 and warm_up is not None:
        warm_up.app_start()
        watch.user_waits(seconds)


def open_page(watch: Stopwatch, services: Any, mode: Any, user: int) -> None:
    """The person opens the page on this mode's tab (as the page's load and tab-select
    events do: the mode's prompt head is warmed); without page reading time, nothing."""
    from assistant.warm_up import warm_mode_head

    if watch.page_read > 0:
        warm_mode_head(services.conversation.warm_up, mode, "en", user)


def long_session(
    watch: Stopwatch, mode: Any, session: Any, line: str, lines: int = LONG_LINES
) -> None:
    """A second session of ``lines`` lines (5 s apart): its slowest reply after the first is
    reported as "later reply, 20 lines" (the history grows to about 3,000 tokens)."""
    before = len(watch.rows)
    watch.user_waits(FIRST_READ_S)
    watch.time("first reply", lambda: mode.respond(session, line), record=False)
    for turn in range(2, lines + 1):
        watch.user_waits(BETWEEN_LINES_S)
        watch.time("later reply", partial(mode.respond, session, f"{line} ({turn})"))
    replies = watch.rows[before:]
    del watch.rows[before:]
    slowest = max(replies, key=lambda row: row.first_visible_s)
    watch.rows.append(replace(slowest, action=f"later reply, {lines} lines"))


def converse(watch: Stopwatch, mode: Any, session: Any, line: str) -> None:
    """The first reply after reading, then ``LATER_TURNS`` more; the last one is reported as
    "later reply" (the history has grown by then)."""
    watch.user_waits(FIRST_READ_S)
    watch.time("first reply", lambda: mode.respond(session, line))
    for turn in range(LATER_TURNS):
        watch.user_waits(BETWEEN_LINES_S)
        text = f"{line} ({turn + 2})"
        watch.time(
            "later reply", partial(mode.respond, session, text), record=turn == LATER_TURNS - 1
        )


def run_reflect(watch: Stopwatch, services: Any, user: int, hook: Callable) -> None:
    mode = services.modes["reflect"]
    open_page(watch, services, mode, user)
    if watch.page_read > 0:
        mode.first_line(user, "en")  # the tab shows the opening (and warms its prefix)
    watch.user_waits(watch.page_read)
    session = watch.time("start a session", lambda: mode.open(user, "en"))
    hook(services, "reflect", session)
    converse(watch, mode, session, LINES["reflect"])
    watch.user_waits(BETWEEN_LINES_S)
    watch.time("action plan", lambda: mode.draft_action_plan(session))
    long_session(watch, mode, mode.open(user, "en"), LINES["reflect"])


def run_rehearse(watch: Stopwatch, services: Any, user: int, hook: Callable) -> None:
    mode = services.modes["rehearse"]
    options = {"scenario": "missed-deadlines", "difficulty": "realistic"}
    open_page(watch, services, mode, user)
    watch.user_waits(watch.page_read / 2)  # reading the list of scenarios
    if watch.page_read > 0:
        mode.warm_scenario(user, "en", options)  # one is picked: its prompt is read
    watch.user_waits(watch.page_read / 2)  # reading it
    session = watch.time("start a session", lambda: mode.start(user, "en", options))
    hook(services, "rehearse", session)
    converse(watch, mode, session, LINES["rehearse"])
    watch.user_waits(BETWEEN_LINES_S)
    watch.time(
        "hint", lambda: mode.time_out(session, "How do I keep this from turning into blame?")
    )
    watch.user_waits(BETWEEN_LINES_S)
    watch.time("switch roles", lambda: mode.switch_roles(session))
    watch.user_waits(BETWEEN_LINES_S)
    watch.time("switch back", lambda: mode.switch_roles(session))
    lines = mode.your_lines(session)
    watch.user_waits(BETWEEN_LINES_S)
    watch.time("rewind", lambda: mode.rewind(session, lines[1].id))
    watch.user_waits(BETWEEN_LINES_S)
    watch.time(
        "reply after rewind",
        lambda: mode.respond(session, "Sam, what would make Thursday deliveries realistic?"),
    )
    watch.user_waits(BETWEEN_LINES_S)
    watch.time("debrief", lambda: debrief_text(mode.debrief_stream(session)))
    long_session(watch, mode, mode.start(user, "en", options), LINES["rehearse"])


def run_qa(watch: Stopwatch, services: Any, user: int, hook: Callable) -> None:
    from assistant.modes.qa import MAX_QUESTIONS

    mode = services.modes["qa"]
    options = {"notes": NOTES, "audience": "sceptical-executive", "questions": 5}
    open_page(watch, services, mode, user)
    watch.user_waits(watch.page_read / 2)  # pasting the notes
    if watch.page_read > 0:
        mode.warm_audience(user, options["audience"], "en", options)  # the audience is picked
    watch.user_waits(watch.page_read / 2)
    session = watch.time("start a session", lambda: mode.start(user, "en", options))
    hook(services, "qa", session)
    watch.time("Q&A question", lambda: mode.opening(session))
    converse(watch, mode, session, LINES["qa"])
    watch.user_waits(BETWEEN_LINES_S)
    watch.time("debrief", lambda: debrief_text(mode.debrief_stream(session)))
    # The longest round there is: every answer is direct, so each one brings the next question.
    long = mode.start(user, "en", {**options, "questions": MAX_QUESTIONS})
    for _ in mode.opening(long):  # its first question
        pass
    long_session(watch, mode, long, LINES["qa"], lines=MAX_QUESTIONS)


def run_practice(watch: Stopwatch, services: Any, user: int, hook: Callable) -> None:
    mode = services.modes["practice"]
    options = {"scenario": "wants-the-answer"}
    open_page(watch, services, mode, user)
    watch.user_waits(watch.page_read / 2)  # reading the list of scenarios
    if watch.page_read > 0:
        mode.warm_scenario(user, "en", options)  # one is picked: its prompt is read
    watch.user_waits(watch.page_read / 2)  # reading it
    session = watch.time("start a session", lambda: mode.start(user, "en", options))
    hook(services, "practice", session)
    converse(watch, mode, session, LINES["practice"])
    watch.user_waits(BETWEEN_LINES_S)
    watch.time("end: skill report", lambda: mode.end(session))
    watch.time("debrief", lambda: debrief_text(mode.debrief_stream(session)))
    long_session(watch, mode, mode.start(user, "en", options), LINES["practice"])


def run_plan(watch: Stopwatch, services: Any, user: int, hook: Callable) -> None:
    """The Plan tab: opening it reads the tailoring instructions (``warm_tailoring``); the
    person types the topic (its box loses focus: the whole request is read ahead), picks the
    length, then asks for the plan; each question shows as it is tailored."""
    from assistant.planner import (
        QuestionBank,
        build_plan,
        plan_messages,
        tailor_plan_steps,
        tailoring_head,
    )
    from assistant.warm_up import warm_tailoring

    bank = QuestionBank.from_entries(services.library.entries())
    plan = build_plan("Sam keeps missing deadlines", "en", "peers", 30, bank)
    settings, warm_up = services.settings, services.conversation.warm_up
    if watch.page_read > 0:
        warm_tailoring(warm_up, tailoring_head("en", services.prompts), user)  # tab opened
        watch.user_waits(watch.page_read / 2)  # typing the topic
        warm_tailoring(warm_up, plan_messages(plan, services.prompts), user)
        watch.user_waits(watch.page_read / 2)  # picking who and how long
    watch.time(
        "plan tailoring",
        lambda: items_shown(
            tailor_plan_steps(
                plan,
                services.conversation.chat_model,
                services.prompts,
                host=settings.ollama_host,
                model=settings.model,
                warm_up=warm_up,
            ),
            lambda step: step.tailored,
        ),
        by_token=False,
    )


def run_scenario(watch: Stopwatch, services: Any, user: int, hook: Callable) -> None:
    """The scenario builder: opening it reads the drafting prompt (``warm_drafting``) while
    the person describes the situation; each field shows as it is drafted."""
    from assistant.scenario_builder import describe, draft_messages, draft_scenario_steps
    from assistant.warm_up import warm_drafting

    description = describe(
        "My colleague Sam has missed three report deadlines and the team waits for him.",
        "Sam, a careful analyst who goes quiet under pressure",
        "en",
    )
    warm_up = services.conversation.warm_up
    if watch.page_read > 0:
        warm_drafting(warm_up, draft_messages(None, "en", services.prompts), user)
        watch.user_waits(watch.page_read)  # describing the situation and the person
    watch.time(
        "scenario draft",
        lambda: items_shown(
            draft_scenario_steps(
                description,
                "en",
                services.conversation.chat_model,
                services.prompts,
                warm_up=warm_up,
            ),
            lambda step: len(step.fields),
        ),
        by_token=False,
    )


RUNS: dict[str, Callable[[Stopwatch, Any, int, Callable], None]] = {
    "reflect": run_reflect,
    "rehearse": run_rehearse,
    "qa": run_qa,
    "practice": run_practice,
    "plan": run_plan,
    "scenario": run_scenario,
}


# --------------------------------------------------------------------------------------------
# Running and printing
# --------------------------------------------------------------------------------------------


# The untimed first pass's server: fast, so it takes little wall time.
WARM_PROFILE = CostProfile.parse("P=100000,G=100000,schema=100000,load=0")


def run(
    profiles: Sequence[CostProfile],
    groups: Sequence[str],
    time_scale: float,
    hook: Callable[[Any, str, Any], None],
    num_parallel: int = 1,
    page_read: float = PAGE_READ_S,
    app_start: float = APP_START_S,
) -> list[Row]:
    """Every group under every profile; one app and one double per profile; every group
    starts as the app starts (``app_start`` s before the page opens; see `start_app`)."""
    from assistant.config import Settings
    from assistant.services import build_services

    rows: list[Row] = []
    for profile in profiles:
        with OllamaDouble(reply_generator=model_reply, format_reply=schema_reply) as double:
            data_dir = Path(tempfile.mkdtemp(prefix="coach-bench-latency-"))
            services = build_services(Settings(data_dir=data_dir, ollama_host=double.url))
            user = services.store.user_id()
            # Each group once, untimed, on a fast server first: the app's one-off work on
            # first use (imports, building the chat model's client) would otherwise count at
            # the simulated rate while a background request sleeps, shifting the first
            # group's script by seconds (and flattering it: the person seemed to read longer).
            for group in groups:
                double.cost = ModelServer(WARM_PROFILE, time_scale=time_scale)
                watch = Stopwatch(profile.name, double.cost, [], group, page_read)
                start_app(watch, services, app_start)
                RUNS[group](watch, services, user, lambda services, mode, session: None)
                leave_page(services, user, double.cost)
            for group in groups:
                server = ModelServer(profile, time_scale=time_scale, num_parallel=num_parallel)
                double.cost = server  # a fresh, cold server for every group
                mode = STORED_MODE.get(group, group)
                watch = Stopwatch(profile.name, server, rows, mode, page_read)
                start_app(watch, services, app_start)
                RUNS[group](watch, services, user, hook)
                leave_page(services, user, server)
    return rows


def leave_page(services: Any, user: int, server: ModelServer) -> None:
    """The person closes the page: their warm-ups still running are abandoned (a read-ahead
    after the last reply would otherwise reach the next group's server), and every request
    of ``server`` has ended."""
    warm_up = services.conversation.warm_up
    if warm_up is not None:
        warm_up.abandon(user)
        warm_up.wait(user)
    server.wait_until(partial(all_finished, server))


def all_finished(server: ModelServer) -> bool:
    """No request of ``server`` is still running (a background one the user did not wait for)."""
    return all(charge.wall_end is not None for charge in server.charges)


def print_tables(
    rows: Sequence[Row],
    profiles: Sequence[CostProfile],
    scale: float,
    page_read: float = PAGE_READ_S,
    app_start: float = APP_START_S,
) -> None:
    print(f"machine: {machine()}")
    started = (
        f"the model's load asked {app_start:g} s before the page opens (the app's start)"
        if app_start > 0
        else "the model not loaded when the page opens"
    )
    print(
        "Ollama: the HTTP double with its cost model (tests/fixtures/model_cost.py), one slot, "
        f"time scale {scale:g}; {started}; user reads {page_read:g} s from the page opening "
        f"to the session start, {FIRST_READ_S:g} s before the first line, "
        f"{BETWEEN_LINES_S:g} s between lines\n"
    )
    headers = [
        "mode",
        "action",
        "first visible s",
        "done s",
        "prefill tokens",
        "generated tokens",
        "cache reused",
        "requests",
    ]
    for profile in profiles:
        print(f"### {profile.name}: {profile.spec()} ({profile.source or 'custom'})\n")
        body = [
            [
                r.mode,
                r.action,
                f"{r.first_visible_s:.1f}",
                f"{r.done_s:.1f}",
                r.prefill_tokens,
                r.generated_tokens,
                "-" if r.cache_reused is None else ("yes" if r.cache_reused else "no"),
                r.requests,
            ]
            for r in rows
            if r.profile == profile.name
        ]
        print(table(headers, body))
        print()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profile",
        action="append",
        help="laptop-cpu, gpu, or P=..,G=..,schema=..,load=.. (repeatable; default both)",
    )
    parser.add_argument("--modes", default=",".join(GROUPS), help=f"of {', '.join(GROUPS)}")
    parser.add_argument("--time-scale", type=float, default=0.01, help="wall s per simulated s")
    parser.add_argument("--num-parallel", type=int, default=1, help="slots (OLLAMA_NUM_PARALLEL)")
    parser.add_argument("--after-start", help="module:function(services, mode, session)")
    parser.add_argument(
        "--page-read",
        type=float,
        default=PAGE_READ_S,
        help="s from opening the page to starting a session (0: at once, no page-open warm-up)",
    )
    parser.add_argument(
        "--app-start",
        type=float,
        help=f"s from the app asking Ollama to load the model to the page opening (default "
        f"{APP_START_S:g}, the app's measured start; 0: the model is not loaded when the page "
        "opens, as on an app that has run for a while; 0 too with --page-read 0)",
    )
    parser.add_argument("--json", action="store_true", help="print the rows as a JSON list")
    args = parser.parse_args(argv)

    profiles = [CostProfile.parse(p) for p in (args.profile or ["laptop-cpu", "gpu"])]
    groups = [g.strip() for g in args.modes.split(",") if g.strip()]
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown mode group(s) {unknown}; use {', '.join(GROUPS)}")
    hook = after_start_hook(args.after_start)
    app_start = args.app_start
    if app_start is None:
        app_start = APP_START_S if args.page_read > 0 else 0.0
    rows = run(
        profiles, groups, args.time_scale, hook, args.num_parallel, args.page_read, app_start
    )
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=1))
    else:
        print_tables(rows, profiles, args.time_scale, args.page_read, app_start)


if __name__ == "__main__":
    main()
