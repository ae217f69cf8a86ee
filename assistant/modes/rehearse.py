"""Rehearse: the model plays the other person of a scenario and stays in character.

The system prompt (scenario, Persona, difficulty behaviour, the user's goal) is rendered once
when the session starts. Every counterpart reply is checked with ``reply_checks`` (out-of-role
phrases, assistant voice, echo, length, language, ...); a failing reply is generated once more
with a one-off reminder at the end of the request (never stored), and when that one fails too
the better of the two is kept with a quiet warning. Hints are checked the same way.

Controls: a time-out asks a coach for a hint (kept in the session's options, never in the
counterpart's history); switching roles lets the model play the user's side; rewinding continues
from an earlier turn while the old branch stays stored and selectable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from assistant import i18n, reply_checks
from assistant.debrief import DebriefDraft, final_result, stream_debrief
from assistant.errors import CoachError
from assistant.feedback import DebriefResult, Passage, defuse_tags, library_passages
from assistant.llm import stream_text
from assistant.modes.base import SWAP, Conversation, current, reread
from assistant.prompts import PromptLibrary, join_parts
from assistant.scenarios import DIFFICULTIES, Difficulty, Scenario, ScenarioBook
from assistant.store import Session, Turn
from assistant.token_caps import capped, end_at_sentence
from assistant.turn_labels import (
    first_openness_note,
    label_rehearsal_line,
    next_openness_note,
    openness_notes,
    turning_point,
)

# Knowledge passages for a scenario's debrief (reference material, rendered into the request).
Grounding = Callable[[Scenario], list[Passage]]


def bullets(items: list[str]) -> str:
    """Items as a Markdown bullet list ("- none" when empty)."""
    return "\n".join(f"- {item}" for item in items) if items else "-"


@dataclass(frozen=True)
class Branch:
    """One line of the conversation that a rewind left behind (or the current one)."""

    leaf_id: int
    label: str
    user_turns: int
    active: bool


# The prompt folder; Practice reuses this engine (and its prompts) under another mode name.
PROMPTS = "rehearse"


@dataclass
class Rehearse:
    """The role-play partner."""

    conversation: Conversation
    prompts: PromptLibrary
    scenarios: ScenarioBook
    grounding: Grounding | None = None
    name: str = "rehearse"

    # --- starting -----------------------------------------------------------------------------

    def start(self, user_id: int, lang: str, options: dict[str, Any] | None = None) -> Session:
        """Start a rehearsal of ``options["scenario"]`` at ``options["difficulty"]``.

        The counterpart's opening line is stored as the first turn.
        """
        options = dict(options or {})
        scenario, difficulty = self._picked(user_id, lang, options)
        store = self.conversation.store
        session = store.create_session(
            user_id,
            mode=self.name,
            lang=lang,
            system_prompt=self.system_prompt(scenario, difficulty),
            title=scenario.title,
            options={
                **options,
                "scenario": scenario.id,
                "difficulty": difficulty,
                "criteria": scenario.success_criteria,
                "switched": False,
            },
        )
        store.add_turn(session.id, "assistant", scenario.opening_line)
        # The first line leads with the starting openness: it is read with the prefix.
        self.conversation.warm(session, note=first_openness_note(self.prompts, lang, difficulty))
        return session

    def _picked(
        self, user_id: int, lang: str, options: dict[str, Any]
    ) -> tuple[Scenario, Difficulty]:
        scenario = self.scenarios.get(str(options.get("scenario", "")), lang, user_id)
        difficulty: Difficulty = options.get("difficulty", "realistic")
        if difficulty not in DIFFICULTIES:
            difficulty = "realistic"
        return scenario, difficulty

    def warm_scenario(self, user_id: int, lang: str, options: dict[str, Any]) -> bool:
        """The person picked a scenario (or a difficulty): read the session prefix that
        ``start`` would warm (system prompt, opening and the first line's note) while they
        read it, so the start
        finds it read or being read. True when a warm-up started."""
        warm_up = self.conversation.warm_up
        if warm_up is None:
            return False
        try:
            scenario, difficulty = self._picked(user_id, lang, dict(options))
        except CoachError:  # an unknown or removed scenario: nothing to read
            return False
        prefix = [
            SystemMessage(self.system_prompt(scenario, difficulty)),
            AIMessage(scenario.opening_line),
            HumanMessage(first_openness_note(self.prompts, lang, difficulty)),
        ]
        return warm_up.begin(prefix, owner=user_id)

    def system_prompt(self, scenario: Scenario, difficulty: Difficulty) -> str:
        """The counterpart's fixed instructions for one session."""
        lang, persona = scenario.lang, scenario.counterpart
        role_notes = ""
        if scenario.role == "coachee":
            role_notes = self.prompts.render(
                PROMPTS,
                "coachee",
                lang,
                presenting_issue=scenario.presenting_issue or "-",
                hidden_issue=scenario.hidden_issue or "-",
                opens_up_when="; ".join(scenario.opens_up_when) or "-",
                closes_down_when="; ".join(scenario.closes_down_when) or "-",
            )
        scenario_part = self.prompts.render(
            PROMPTS,
            "system",
            lang,
            person=persona.name,
            persona_role=persona.role,
            personality=persona.personality,
            cares_about=", ".join(persona.cares_about) or "-",
            speaking_style=persona.speaking_style or persona.question_style or "-",
            situation=scenario.situation,
            hidden_concerns=bullets(persona.hidden_concerns),
            role_notes=role_notes,
            difficulty_name=i18n.t(lang, f"difficulty_name_{difficulty}"),
            difficulty_general=self.prompts.render(PROMPTS, f"difficulty-{difficulty}", lang),
            difficulty_behaviour=bullets(scenario.difficulty.of(difficulty)),
            opening_line=scenario.opening_line,
        )
        return join_parts(self.prompt_head(lang), scenario_part)

    def prompt_head(self, lang: str) -> str:
        """The start of every rehearsal's system prompt in ``lang``: the role-play and answer
        rules, the same for every scenario and difficulty (warmed when the page opens)."""
        return self.prompts.render(PROMPTS, "head", lang)

    def scenario(self, session: Session) -> Scenario:
        """The scenario a session rehearses."""
        scenario_id = str(session.options.get("scenario", ""))
        return self.scenarios.get(scenario_id, session.lang, session.user_id)

    # --- turns --------------------------------------------------------------------------------

    def respond(
        self, session: Session, text: str, turns: list[Turn] | None = None
    ) -> Iterator[str]:
        """Store the user's line, then stream the other side's reply."""
        session, turns = current(self.conversation.store, session, turns)
        if session.options.get("switched"):
            # The person plays the counterpart: their line is stored on the model's side.
            self.conversation.accept_user_text(session, text, turns, role="assistant", author=SWAP)
            yield from self._model_as_user(session, turns)
            return
        self.conversation.accept_user_text(session, text, turns)
        label_rehearsal_line(self.conversation.store, session, turns)  # live labels, openness
        yield from self._counterpart_reply(session, turns)

    def retry(self, session: Session, turns: list[Turn] | None = None) -> Iterator[str]:
        """Answer the last line again after an interrupted or failed reply."""
        store = self.conversation.store
        session, turns = current(store, session, turns)
        last = turns[-1] if turns else None
        if last is not None and len(turns) > 1 and last.status != "complete":
            store.set_head(session.id, last.parent_id)
            store.finish_turn(last.id, last.text, status="superseded", error=last.error)
            turns.pop()
        if not turns:
            return
        if session.options.get("switched"):
            if turns[-1].role == "assistant":
                yield from self._model_as_user(session, turns)
        elif turns[-1].role == "user":
            yield from self._counterpart_reply(session, turns)

    def _counterpart_reply(self, session: Session, turns: list[Turn]) -> Iterator[str]:
        lang = session.lang
        name = self.scenario(session).counterpart.name
        # Out-of-role phrases, assistant voice, echo, length, language (see reply_checks).
        context = reply_checks.context_from_turns(
            turns, lang, "persona", sentence_budget=4, briefing=[session.system_prompt]
        )

        def check(reply: str) -> list[str]:
            return reply_checks.check_reply(reply, context)

        def reminder(problems: list[str]) -> str:
            described = reply_checks.describe(problems, lang, "rehearse_problem_")
            return self.prompts.render(PROMPTS, "reminder", lang, problems=described, person=name)

        flagged: list[str] = []
        # The newest line's state note (if it is due) goes with it; earlier lines keep theirs.
        kept = openness_notes(self.prompts, session, turns)
        newest = turns[-1].id if turns and turns[-1].role == "user" else None
        note = kept.pop(newest, None) if newest is not None else None
        yield from self.conversation.stream_reply(
            session,
            note=note,
            kept=kept,
            check=check,
            reminder=reminder,
            flagged=flagged,
            turns=turns,
            max_tokens=self.conversation.cap("persona"),
        )
        if flagged:
            reply = turns[-1]  # stream_reply appended the reply it stored
            warning = "; ".join(flagged)
            self.conversation.store.set_warning(reply.id, warning)
            turns[-1] = replace(reply, warning=warning)
        ahead = next_openness_note(self.prompts, session, turns)
        if ahead and turns[-1].status == "complete":  # read the next line's note while they type
            kept = openness_notes(self.prompts, session, turns)
            self.conversation.warm(session, turns, ahead, kept=kept)

    def _model_as_user(self, session: Session, turns: list[Turn]) -> Iterator[str]:
        """The model writes the person's next line: the session's own request (its cached
        prefix and history) with the switch instruction after the turn it was given at."""
        lang = session.lang
        instruction = self._instruction(session, "switch")
        # The stand-in's own voice and form checks (echo, assistant voice, length, language,
        # read-back, a loop): its "user" is the person's last line, on the model's side.
        context = reply_checks.ReplyContext(
            lang,
            "stand_in",
            user_text=next((t.text for t in reversed(turns) if t.role == "assistant"), ""),
            earlier=tuple(t.text for t in turns if t.role == "user" and t.text)[-6:],
            sentence_budget=3,  # the switch instruction asks for one to three short sentences
            briefing=(session.system_prompt, instruction),
        )

        def check(reply: str) -> list[str]:
            return reply_checks.check_reply(reply, context)

        def reminder(problems: list[str]) -> str:
            described = reply_checks.describe(problems, lang)
            return i18n.t(lang, "reply_check_stand_in_reminder", problems=described)

        flagged: list[str] = []
        yield from self.conversation.stream_reply(
            session,
            speak_as="user",
            author=SWAP,
            kept=openness_notes(self.prompts, session, turns),
            check=check,
            reminder=reminder,
            flagged=flagged,
            turns=turns,
            max_tokens=self.conversation.cap("persona"),
        )
        if flagged:
            reply = turns[-1]  # stream_reply appended the reply it stored
            warning = "; ".join(flagged)
            self.conversation.store.set_warning(reply.id, warning)
            turns[-1] = replace(reply, warning=warning)

    def _instruction(self, session: Session, kind: str) -> str:
        """The instruction sent when the roles are switched ("switch") or switched back
        ("switch-back")."""
        scenario = self.scenario(session)
        return self.prompts.render(
            PROMPTS,
            kind,
            session.lang,
            person=scenario.counterpart.name,
            success_criteria=bullets(scenario.success_criteria),
            user_goal=scenario.user_goal,  # the counterpart's own prompt does not hold it
        )

    # --- controls -----------------------------------------------------------------------------

    def switch_roles(self, session: Session, turns: list[Turn] | None = None) -> Iterator[str]:
        """Switch who plays whom; the model then takes its new side's turn if it is due.

        The conversation goes on in the same request: an instruction (the roles are switched,
        or switched back) follows the turn it was given at and stays there (the session's
        ``inserts``), so the model's cache holds everything before it and the next request
        reads only the instruction. Yields the snapshots of the model's turn (nothing when
        it is the user's turn).
        """
        store = self.conversation.store
        session, turns = current(store, session, turns)
        switched = not session.options.get("switched", False)
        changes: dict[str, Any] = {"switched": switched}
        if turns:
            inserts = dict(session.options.get("inserts") or {})
            at = str(turns[-1].id)
            if at in inserts:
                del inserts[at]  # switched and back with no line between: nothing to say
            else:
                inserts[at] = self._instruction(session, "switch" if switched else "switch-back")
            changes["inserts"] = inserts
        session = replace(session, options=store.update_options(session.id, **changes))
        if not turns:
            return
        if switched and turns[-1].role == "assistant":
            yield from self._model_as_user(session, turns)
        elif not switched and turns[-1].role == "user":
            yield from self._counterpart_reply(session, turns)

    def is_switched(self, session: Session) -> bool:
        """True while the model plays the user's side."""
        return bool(reread(self.conversation.store, session).options.get("switched"))

    def time_out(self, session: Session, question: str = "") -> Iterator[str]:
        """Ask the coach for a hint; the hint and the answer never reach the counterpart.

        The request is the session's own (its system prompt and history, which the model's
        cache holds) with the time-out instruction last, so only that instruction is read
        anew. Yields growing snapshots; the finished hint is kept in the session's options.
        ``conversation.stop(session.id)`` (or closing this generator: the person left) ends
        the model's request at its next chunk, and nothing is kept.
        """
        conversation = self.conversation
        session = reread(conversation.store, session)
        lang, scenario = session.lang, self.scenario(session)
        question = question.strip() or self.prompts.render(PROMPTS, "hint-default", lang)
        turns = conversation.store.turns(session.id)
        instruction = self.prompts.render(
            PROMPTS,
            "hint",
            lang,
            person=scenario.counterpart.name,
            success_criteria=bullets(scenario.success_criteria),
            question=defuse_tags(question),
        )
        kept = openness_notes(self.prompts, session, turns)  # as the conversation sent them
        request = [*conversation.messages(session, turns, kept=kept), HumanMessage(instruction)]
        # A hint comes from a coach beside the person, never in the counterpart's voice.
        context = reply_checks.ReplyContext(
            lang, "hint", user_text=question, counterpart=scenario.counterpart.name
        )
        record: dict[str, Any] = {}
        with conversation.stoppable(session.id) as stopped:
            text = ""
            for text in self._hint_attempt(request, stopped):
                yield text
            if stopped.is_set():
                return  # a stopped hint keeps nothing
            before = reply_checks.check_reply(text, context)
            if before:
                described = reply_checks.describe(before, lang)
                note = SystemMessage(i18n.t(lang, "reply_check_hint_reminder", problems=described))
                first, second = text, ""
                for second in self._hint_attempt([*request, AIMessage(first), note], stopped):
                    yield second
                if stopped.is_set():
                    return
                retried = reply_checks.check_reply(
                    second, replace(context, instructions=(str(note.content),))
                )
                text, kept_problems = reply_checks.choose((first, before), (second, retried))
                if text != second:
                    yield text
                record = {"checks": {"before": before, "after": kept_problems}}
        hints = [*session.options.get("timeouts", [])]
        after = turns[-1].id if turns else None
        hints.append({"after_turn": after, "question": question, "hint": text, **record})
        conversation.store.update_options(session.id, timeouts=hints)

    def _hint_attempt(self, request: list[BaseMessage], stopped: threading.Event) -> Iterator[str]:
        """Stream one attempt at a hint within its cap. Ends at the first chunk after a stop
        (closing the model's stream, so the model stops generating); a hint that starts to
        loop is stopped and cut back; one cut at its cap ends at its last full sentence."""
        conversation, text, cut = self.conversation, "", False
        model = capped(conversation.chat_model, conversation.cap("hint"))
        pieces = stream_text(model, request, host=conversation.host, model=conversation.model)
        try:
            for piece, usage in pieces:
                if stopped.is_set():
                    return
                cut = cut or bool(usage.get("cut"))
                text += piece
                if piece:
                    yield text
                if reply_checks.looping(text):
                    yield reply_checks.cut_loop(text)
                    return
        finally:
            pieces.close()  # closes the HTTP stream
        if cut:
            yield end_at_sentence(text)

    def time_outs(self, session: Session) -> list[dict[str, Any]]:
        """The hints asked for in this session, oldest first."""
        return list(reread(self.conversation.store, session).options.get("timeouts", []))

    def rewind(self, session: Session, turn_id: int) -> str:
        """Go back to just before one of the user's earlier lines; returns that line so it can
        be tried differently. The turns after it stay stored as a branch."""
        store = self.conversation.store
        turns = store.turns(session.id)
        turn = next((t for t in turns if t.id == turn_id and t.role == "user"), None)
        if turn is None:
            raise ValueError(f"turn {turn_id} is not one of your lines in this conversation")
        store.set_head(session.id, turn.parent_id)
        return turn.text

    def your_lines(self, session: Session) -> list[Turn]:
        """The user's own lines on the current branch (what Rewind offers)."""
        turns = self.conversation.store.turns(session.id)
        return [t for t in turns if t.role == "user" and t.author != SWAP]

    def branches(self, session: Session) -> list[Branch]:
        """Every stored branch of the conversation, labelled by its last line of the user."""
        store = self.conversation.store
        head = reread(self.conversation.store, session).head_turn_id
        by_id = {t.id: t for t in store.all_turns(session.id)}
        result = []
        for leaf in store.branches(session.id):
            path, node = [], by_id.get(leaf.id)
            while node is not None:
                path.append(node)
                node = by_id.get(node.parent_id) if node.parent_id else None
            users = [t for t in path if t.role == "user"]
            label = users[0].text if users else leaf.text
            active = head is not None and any(t.id == head for t in path)
            result.append(Branch(leaf.id, _short(label), len(users), active))
        return result

    def select_branch(self, session: Session, leaf_id: int) -> None:
        """Continue on a stored branch."""
        self.conversation.store.set_head(session.id, leaf_id)

    # --- debrief ------------------------------------------------------------------------------

    def debrief(self, session: Session) -> DebriefResult:
        """Write the debrief of the current branch and store it (with its rating)."""
        return final_result(self.debrief_stream(session))

    def debrief_stream(
        self, session: Session, cancelled: threading.Event | None = None
    ) -> Generator[DebriefDraft, None, DebriefResult | None]:
        """The debrief of the current branch, section by section as it is written; the
        finished debrief is stored. Setting ``cancelled`` (or closing the generator) ends
        its model request at the next chunk."""
        session = reread(self.conversation.store, session)
        scenario = self.scenario(session)
        turns = self.conversation.store.turns(session.id)
        return stream_debrief(
            self.conversation,
            self.prompts,
            session,
            turns,
            person=scenario.counterpart.name,
            user_lines=[t.text for t in turns if t.role == "user" and t.author != SWAP],
            criteria=scenario.success_criteria,
            passages=self.grounding(scenario) if self.grounding else [],
            kept=openness_notes(self.prompts, session, turns),
            turning_point=turning_point(session, turns),
            # The model's lines: its replies after the scripted opening, and its lines as the
            # stand-in while the roles were switched (the person's are on its side then).
            replies=[t for t in turns[1:] if (t.role == "assistant") != (t.author == SWAP)],
            cancelled=cancelled,
        )


def transcript_text(turns: list[Turn], name: str, lang: str) -> str:
    """The conversation as plain lines, the user marked as YOU/DIG; lines written while the
    roles were switched are marked as such."""
    you = "DIG" if lang == "da" else "YOU"
    swapped = " (byttede roller)" if lang == "da" else " (roles switched)"
    return "\n".join(
        f"{you if t.role == 'user' else name.upper()}{swapped if t.author == SWAP else ''}: "
        f"{t.text}"
        for t in turns
        if t.text
    )


def _short(text: str, limit: int = 70) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def rehearse_mode(conversation: Conversation, prompts: PromptLibrary, library: Any) -> Rehearse:
    """The Rehearse mode wired to the knowledge library (scenarios and debrief grounding)."""

    def grounding(scenario: Scenario) -> list[Passage]:
        query = f"{scenario.title}. {scenario.user_goal} {' '.join(scenario.success_criteria)}"
        ids = [*scenario.related, *scenario.strategies]
        return library_passages(library, query, scenario.lang, ids)

    book = ScenarioBook(library, conversation.store)
    return Rehearse(conversation=conversation, prompts=prompts, scenarios=book, grounding=grounding)
