"""Analysed conversations kept per user as sessions of their own mode, ``analyse``.

The pasted text is stored as the session's one turn before it is analysed (the person's
words first), the analysis in the session's options; History lists, exports and deletes it
like any other session, and every read goes through the store's owner check.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.analysis.report import ConversationAnalysis, LabelsOf, analyse_conversation
from assistant.analysis.transcript import Transcript, parse_transcript
from assistant.feedback_moves import feedback_moves
from assistant.i18n import t
from assistant.store import Session, Store

ANALYSE = "analyse"
TRANSCRIPT_AUTHOR = "transcript"


@dataclass(frozen=True)
class StoredAnalysis:
    """An analysed conversation as stored: its session, its text and its analysis."""

    session: Session
    text: str
    analysis: ConversationAnalysis


@dataclass
class ConversationAnalyser:
    """Analyses real conversations for a user and keeps them with their other sessions."""

    store: Store
    max_message_chars: int
    # The feedback-move labeller for your lines; the one place the page and the CLI get it.
    labels_of: LabelsOf = feedback_moves

    def parse(self, text: str, lang: str) -> Transcript:
        """The transcript, or ``TranscriptError`` saying what is wrong (nothing is stored)."""
        return parse_transcript(text, lang, self.max_message_chars)

    def analyse_only(self, transcript: Transcript, me: str) -> ConversationAnalysis:
        """The analysis of a parsed transcript, not stored (``coach analyse --no-keep``)."""
        return analyse_conversation(transcript, me, self.labels_of)

    def analyse(self, user_id: int, text: str, lang: str, me: str) -> StoredAnalysis:
        """Parse, store the text as a new session, analyse it and keep the analysis with it.

        Raises ``TranscriptError`` (nothing stored) for text that cannot be analysed or a
        ``me`` who is not one of its speakers.
        """
        transcript = self.parse(text, lang)
        me = transcript.speaker_named(me)
        others = transcript.others(me)
        title = t(lang, "analyse_session_title", others=", ".join(others))
        session = self.store.create_session(
            user_id, mode=ANALYSE, lang=lang, system_prompt="", title=title, options={"me": me}
        )
        self.store.add_turn(session.id, "user", text, author=TRANSCRIPT_AUTHOR)
        analysis = analyse_conversation(transcript, me, self.labels_of)
        self.store.update_options(session.id, analysis=analysis.to_dict())
        stored = self.store.session(user_id, session.id)
        assert stored is not None
        return StoredAnalysis(stored, text, analysis)

    def load(self, user_id: int, session_id: int) -> StoredAnalysis | None:
        """A stored analysis of the user's; None for someone else's or another mode's."""
        session = self.store.session(user_id, session_id)
        if session is None or session.mode != ANALYSE or "analysis" not in session.options:
            return None
        turns = self.store.turns(session.id)
        text = next((turn.text for turn in turns if turn.author == TRANSCRIPT_AUTHOR), "")
        return StoredAnalysis(
            session, text, ConversationAnalysis.from_dict(session.options["analysis"])
        )

    def delete(self, user_id: int, session_id: int) -> bool:
        """Delete one of the user's analysed conversations; False when it is not theirs."""
        session = self.store.session(user_id, session_id)
        if session is None or session.mode != ANALYSE:
            return False
        return self.store.delete_session(user_id, session_id)
