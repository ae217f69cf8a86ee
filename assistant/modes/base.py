"""What every practice mode shares: the mode interface and the flow of one turn.

The flow: validate the user's text -> store it (before anything that can fail) -> build the
messages (fixed system prompt + history, trimmed in blocks) -> stream from the chat model ->
store the reply; a broken or stopped stream leaves the partial reply stored as interrupted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from assistant.errors import CoachError
from assistant.llm import stream_text
from assistant.modes.history import Budget, TokenCalibration, estimate_tokens, trim_start
from assistant.reply_checks import choose, cut_loop, instructions_read_back, looping
from assistant.store import Role, Session, Store, Turn, TurnStatus
from assistant.token_caps import CUT, capped, end_at_sentence

if TYPE_CHECKING:
    from assistant.feedback import DebriefResult
    from assistant.token_caps import TokenCaps
    from assistant.warm_up import WarmUp

if TYPE_CHECKING:  # langchain's model layer is imported with the chat model (assistant.llm)
    from langchain_core.language_models import BaseChatModel

# A check on a finished reply: returns the names of the rules it broke (empty when fine).
ReplyCheck = Callable[[str], list[str]]
# Builds the one-off reminder sent when a reply broke the rules and is regenerated.
Reminder = Callable[[list[str]], str]

SWAP = "swap"  # the author of turns written while the roles are switched (Rehearse)


def with_note(text: str, note: str | None) -> str:
    """A message with its per-turn note leading it (the note is known before the person
    writes, so the model can read it ahead; the person's words come last)."""
    return f"{note}\n\n{text}" if note else text


class Mode(Protocol):
    """A practice mode: starts sessions and answers the user's turns.

    ``turns``, when given, are the session's turns as the caller read them in this event
    together with ``session``: the mode then reads neither again and appends the turns it
    adds, so the caller can show the result without another read. Without them (the CLI, a
    session object kept across calls) the mode reads both once.
    """

    name: str

    def start(self, user_id: int, lang: str, options: dict[str, Any] | None = None) -> Session:
        """Create a session with its fixed system prompt and store the opening message."""
        ...

    def respond(
        self, session: Session, text: str, turns: list[Turn] | None = None
    ) -> Iterator[str]:
        """Store the user's text, then stream the reply as growing snapshots of its text."""
        ...

    def retry(self, session: Session, turns: list[Turn] | None = None) -> Iterator[str]:
        """Answer the last user turn again after an interrupted or failed reply."""
        ...


@runtime_checkable
class Debriefing(Protocol):
    """A mode that ends in a debrief (Rehearse, Q&A, Practice)."""

    def debrief(self, session: Session) -> DebriefResult:
        """Write the session's debrief, store it and return it."""
        ...


def reread(store: Store, session: Session) -> Session:
    """The session as stored now (the given copy when it is gone)."""
    return store.session(session.user_id, session.id) or session


def current(store: Store, session: Session, turns: list[Turn] | None) -> tuple[Session, list[Turn]]:
    """The session and its turns as of now: as given when the caller read them together in
    this event, else read once here (the caller may hold an older copy of the session)."""
    if turns is not None:
        return session, turns
    return reread(store, session), store.turns(session.id)


def empty_message_error() -> CoachError:
    """The message for an empty or whitespace-only message."""
    return CoachError(
        "empty_message",
        "Your message is empty. Write something first.",
        "Din besked er tom. Skriv noget først.",
    )


def too_long_error(length: int, limit: int) -> CoachError:
    """The message for a message over the configured limit (nothing is cut silently)."""
    return CoachError(
        "message_too_long",
        f"Your message has {length:,} characters; the limit is {limit:,}. Shorten it or split "
        "it into two messages. Nothing was sent.",
        f"Din besked har {length:,} tegn; grænsen er {limit:,}. Gør den kortere, eller del den "
        "i to beskeder. Intet blev sendt.".replace(",", "."),
    )


def context_too_small_error(tokens: int, budget: Budget) -> CoachError:
    """The message when the instructions plus the newest message alone exceed the window."""
    return CoachError(
        "context_too_small",
        f"This request needs about {tokens} tokens, but the model's window (COACH_NUM_CTX = "
        f"{budget.num_ctx}) leaves room for {budget.prompt_tokens}. Raise COACH_NUM_CTX or send "
        "a shorter message. Your message is saved; press Retry afterwards.",
        f"Denne forespørgsel kræver omkring {tokens} tokens, men modellens vindue (COACH_NUM_CTX "
        f"= {budget.num_ctx}) giver plads til {budget.prompt_tokens}. Hæv COACH_NUM_CTX, eller "
        "send en kortere besked. Din besked er gemt; tryk på Prøv igen bagefter.",
    )


@dataclass
class Conversation:
    """Stores turns and streams replies for one chat model; shared by all modes."""

    chat_model: BaseChatModel
    store: Store
    budget: Budget
    host: str
    model: str
    max_message_chars: int = 8000
    save_interval: float = 0.5
    # Characters per token learnt from the prompt_eval_count of earlier replies (per model).
    calibration: TokenCalibration = field(default_factory=TokenCalibration)
    # The num_predict of each kind of request (None: the model's own default, no cap).
    caps: TokenCaps | None = None
    # Reads a new session's fixed prefix into the model's cache ahead of the user (warm_up.py).
    warm_up: WarmUp | None = None
    # The stop signal of each session's reply while it streams (see ``stop``).
    _running: dict[int, threading.Event] = field(default_factory=dict, repr=False)
    _running_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def stop(self, session_id: int) -> bool:
        """Stop the session's streaming reply: it ends at the model's next chunk (its request
        is closed, so the model stops generating) and is stored as interrupted, whatever
        the timing; the caller checks that the session is the user's. True when one ran."""
        with self._running_lock:
            signal = self._running.get(session_id)
        if signal is not None:
            signal.set()
        # A reply that is no longer running here (this process restarted, say) is marked too.
        return self.store.interrupt_streaming(session_id) > 0 or signal is not None

    def cap(self, kind: str) -> int | None:
        """The token cap for one kind of request ("persona", "coach", "hint", ...)."""
        return getattr(self.caps, kind) if self.caps is not None else None

    def busy(self) -> bool:
        """True while any reply streams (a warm-up then waits for another chance)."""
        with self._running_lock:
            return bool(self._running)

    def warm(
        self,
        session: Session,
        turns: list[Turn] | None = None,
        note: str | None = None,
        *,
        kept: Mapping[int, str] | None = None,
    ) -> None:
        """Have the start of the session's next request read into the model's cache in the
        background: at the start its fixed prefix (system prompt and opening), after a reply
        the history; ``note`` is the note the person's next message will lead with. The
        reply then pays only for the person's own words (see ``ahead``)."""
        if self.warm_up is not None:
            history = self.store.turns(session.id) if turns is None else turns
            prefix = self.ahead(session, history, note, kept=kept)
            self.warm_up.begin(prefix, owner=session.user_id)

    @contextmanager
    def stoppable(self, session_id: int) -> Iterator[threading.Event]:
        """A stop signal for another streamed request of the session (a hint): ``stop``
        sets it; the caller checks it at every chunk."""
        signal = self._register(session_id)
        try:
            yield signal
        finally:
            self._unregister(session_id, signal)

    def _register(self, session_id: int) -> threading.Event:
        signal = threading.Event()
        with self._running_lock:
            self._running[session_id] = signal
        return signal

    def _unregister(self, session_id: int, signal: threading.Event) -> None:
        with self._running_lock:
            if self._running.get(session_id) is signal:
                del self._running[session_id]

    def accept_user_text(
        self,
        session: Session,
        text: str,
        turns: list[Turn] | None = None,
        *,
        role: Role = "user",
        author: str | None = None,
    ) -> str:
        """Validate and store the user's message; returns the stored text (and appends the
        stored turn to ``turns`` when given)."""
        if not text or not text.strip():
            raise empty_message_error()
        if len(text) > self.max_message_chars:
            raise too_long_error(len(text), self.max_message_chars)
        turn_id = self.store.add_turn(session.id, role, text, author=author)
        if turns is not None:
            turns.append(_added(turns, turn_id, session.id, role, text, "complete", author))
        return text

    def messages(
        self,
        session: Session,
        turns: list[Turn],
        note: str | None = None,
        *,
        kept: Mapping[int, str] | None = None,
    ) -> list[BaseMessage]:
        """The request: the fixed system prompt, then the history that fits the budget.

        ``note`` (material for this turn only, already wrapped in its tags by the caller)
        leads the newest user message and is never stored. ``kept`` (turn id -> note) are
        notes earlier messages were sent with: they stay on those messages, so each request
        starts with the previous one and its reply (the model's cache holds them). A note
        leads its message because it is known before the person types: read ahead with
        everything before it (``warm``), the request then reads only the person's words.
        ``session.options["inserts"]`` (turn id -> text) are instructions sent as a user
        message after that turn (switching roles), kept in place the same way. A turn
        written while the roles were switched (author ``SWAP``) is sent from the other
        side: the model's lines for the person as its own, the person's lines for the
        counterpart as the user's.
        """
        kept = kept or {}
        inserts = {int(k): str(v) for k, v in (session.options.get("inserts") or {}).items()}
        entries: list[tuple[bool, str]] = []  # (from the user's side, text)
        for turn in turns:
            if turn.text:
                from_user = (turn.role == "user") != (turn.author == SWAP)
                entries.append((from_user, with_note(turn.text, kept.get(turn.id))))
            if turn.id in inserts:
                entries.append((True, inserts[turn.id]))
        newest: str | None = None
        if entries and entries[-1][0]:
            newest = with_note(entries.pop()[1], note)
        estimate = self.estimator()
        fixed = estimate(session.system_prompt) + estimate(newest or "")
        if fixed > self.budget.prompt_tokens:
            raise context_too_small_error(fixed, self.budget)
        start = trim_start(fixed, [estimate(text) for _, text in entries], self.budget)
        messages: list[BaseMessage] = [SystemMessage(session.system_prompt)]
        for from_user, text in entries[start:]:
            messages.append(HumanMessage(text) if from_user else AIMessage(text))
        if newest is not None:
            messages.append(HumanMessage(newest))
        return messages

    def ahead(
        self,
        session: Session,
        turns: list[Turn],
        note: str | None = None,
        *,
        kept: Mapping[int, str] | None = None,
    ) -> list[BaseMessage]:
        """The start of the next request as it is known before the person writes: the
        history (with its kept notes), then the note their next message will lead with."""
        messages = self.messages(session, turns, kept=kept)
        return [*messages, HumanMessage(note)] if note else messages

    def estimator(self) -> Callable[[str], int]:
        """Token estimate of one message's text with the model's current calibration."""
        ratio = self.calibration.ratio(self.model)
        return lambda text: estimate_tokens(text, ratio)

    def prompt_tokens(self, messages: list[BaseMessage]) -> int:
        """The estimated prompt size of a request, checked against the budget before sending."""
        estimate = self.estimator()
        return sum(estimate(_text(m)) for m in messages)

    def stream_reply(
        self,
        session: Session,
        *,
        note: str | None = None,
        check: ReplyCheck | None = None,
        reminder: Reminder | None = None,
        clean: Callable[[str], str] | None = None,
        kept: Mapping[int, str] | None = None,
        flagged: list[str] | None = None,
        speak_as: Role = "assistant",
        author: str | None = None,
        turns: list[Turn] | None = None,
        max_tokens: int | None = None,
    ) -> Generator[str, None, str]:
        """Stream a reply to the session's history, storing it as it grows.

        Yields the reply text so far and returns the model's raw final text. When ``check``
        finds broken rules in a finished reply, the reply is generated once more with a
        one-off reminder (never stored) and the snapshots start again from the beginning; when
        that attempt fails too, the better of the two by ``reply_checks.score`` is kept (its
        text is yielded again when it was the first) and both attempts' problems are stored
        on the turn (``Store.set_checks``). A reply that starts to loop is stopped at once.
        ``clean`` removes app markers from what is shown and stored (the raw text keeps them).
        ``flagged``, when given, receives the rules the regenerated reply still broke.
        ``speak_as="user"`` stores the reply on the user's side (the model writes the
        person's lines while the roles are switched; the session's ``inserts`` carry the
        instruction). ``turns``, when
        given, are the session's current turns (not read again); the reply is appended to
        them when it ends. ``max_tokens`` caps the reply (num_predict); a reply cut at the cap
        ends at its last full sentence and is stored with the error ``cut_at_cap``.
        """
        history = self.store.turns(session.id) if turns is None else turns
        messages = self.messages(session, history, note, kept=kept)
        if self.warm_up is not None:
            self.warm_up.real_request(messages)
        turn_id = self.store.add_turn(session.id, speak_as, "", status="streaming", author=author)
        model = capped(self.chat_model, max_tokens)
        stopped = self._register(session.id)
        shown = clean or (lambda raw: raw)
        text, status, error = "", "interrupted", None
        usage: dict[str, int] = {}
        checks: dict[str, list[str]] = {}
        try:
            for text in self._stream(messages, turn_id, usage, shown, stopped, model, looping):
                yield shown(text)
            if usage.get("cut") and not stopped.is_set():
                text = end_at_sentence(text)  # never shown or stored mid-word
                yield shown(text)
            text, problems = _attempt(text, shown, check, stopped)
            if problems and reminder:
                first, note_text = (text, problems), reminder(problems)
                retry_messages = [*messages, AIMessage(text), SystemMessage(note_text)]
                text = ""
                usage.pop("cut", None)
                for text in self._stream(
                    retry_messages, turn_id, usage, shown, stopped, model, looping
                ):
                    yield shown(text)
                if usage.get("cut") and not stopped.is_set():
                    text = end_at_sentence(text)
                    yield shown(text)
                # The better attempt is kept (shown again when it was the first one).
                better = choose(first, _attempt(text, shown, check, stopped, note_text))
                if better[0] != text:
                    yield shown(better[0])
                text = better[0]
                checks = {"before": problems, "after": better[1]}
                if flagged is not None:
                    flagged.extend(better[1])
            if check and not shown(text).strip() and not stopped.is_set():
                raise empty_reply_error()
            status = "complete"
            error = CUT if usage.get("cut") else None
        except CoachError as exc:
            error = exc.code
            raise
        finally:
            self._unregister(session.id, stopped)
            # A stop wins over a reply that reached its end meanwhile: the user asked for it.
            done = status == "complete" and not stopped.is_set()
            final: TurnStatus = "complete" if done else "interrupted"
            self.store.finish_turn(
                turn_id,
                shown(text),
                status=final,
                error=error,
                prompt_tokens=usage.get("prompt_tokens"),
                completion_tokens=usage.get("completion_tokens"),
            )
            if checks:
                self.store.set_checks(turn_id, checks)
            if turns is not None:
                reply = _added(turns, turn_id, session.id, speak_as, shown(text), final, author)
                turns.append(replace(reply, error=error))
        return text

    def _stream(
        self,
        messages: list[BaseMessage],
        turn_id: int,
        usage: dict[str, int],
        shown: Callable[[str], str],
        stopped: threading.Event,
        model: BaseChatModel,
        watch: Callable[[str], bool] | None = None,
    ) -> Iterator[str]:
        """Yield growing raw snapshots of one model reply, saving the shown text now and then;
        fills usage. Ends (closing the model's stream) at the first chunk after a stop, or
        as soon as ``watch`` says the text so far must not go on (a repetition loop)."""
        text = ""
        last_save = time.monotonic()
        pieces = stream_text(model, messages, host=self.host, model=self.model)
        for piece, piece_usage in pieces:
            if stopped.is_set():
                pieces.close()  # closes the HTTP stream: the model stops generating
                return
            usage.update(piece_usage)
            if piece_usage.get("prompt_tokens"):
                chars = sum(len(_text(m)) for m in messages)
                self.calibration.observe(self.model, chars, piece_usage["prompt_tokens"])
            if not piece:
                continue
            text += piece
            yield text
            if watch is not None and watch(text):
                pieces.close()  # the model stops now instead of at the length cap
                return
            if time.monotonic() - last_save >= self.save_interval:
                self.store.save_partial(turn_id, shown(text))
                last_save = time.monotonic()


def empty_reply_error() -> CoachError:
    """The message when the model wrote nothing, twice (an empty reply is never shown)."""
    return CoachError(
        "empty_reply",
        "The model sent an empty reply twice. Press Retry, or try another model.",
        "Modellen sendte et tomt svar to gange. Tryk på Prøv igen, eller prøv en anden model.",
    )


def _attempt(
    raw: str,
    shown: Callable[[str], str],
    check: ReplyCheck | None,
    stopped: threading.Event,
    reminder: str = "",
) -> tuple[str, list[str]]:
    """One finished attempt as (raw text, problems): a reply stopped for looping is cut
    back to before the loop and counts as a "repetition_loop"; a stopped one is not checked.
    A second attempt must not read back the ``reminder`` it was sent."""
    if stopped.is_set():
        return raw, []
    problems: list[str] = []
    if looping(raw):
        raw, problems = cut_loop(raw), ["repetition_loop"]
    if check is not None:
        problems += [p for p in check(shown(raw)) if p not in problems]
    if reminder and check is not None:
        found = instructions_read_back(shown(raw), [reminder])
        problems += [p for p in found if p not in problems]
    return raw, problems


def _added(
    turns: list[Turn],
    turn_id: int,
    session_id: int,
    role: Role,
    text: str,
    status: TurnStatus,
    author: str | None,
) -> Turn:
    """The turn just stored, as the store would read it back (it follows the current head)."""
    parent = turns[-1].id if turns else None
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    return Turn(turn_id, session_id, role, text, status, now, parent_id=parent, author=author)


def _text(message: BaseMessage) -> str:
    content = message.content
    return content if isinstance(content, str) else str(content)
