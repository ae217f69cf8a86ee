"""Learn from a real conversation: parse a pasted or uploaded transcript, label and count
your lines against the MITI thresholds, debrief it, keep it per user, and draft a rehearsal
of it. Everything runs on this machine; no model is needed for the analysis."""

from __future__ import annotations

from assistant.analysis.debrief import ConversationDebrief, conversation_debrief
from assistant.analysis.rehearsal import scenario_words
from assistant.analysis.report import ConversationAnalysis, LabelsOf, analyse_conversation
from assistant.analysis.sessions import ANALYSE, ConversationAnalyser, StoredAnalysis
from assistant.analysis.transcript import (
    Transcript,
    TranscriptError,
    parse_transcript,
    read_transcript_file,
)

__all__ = [
    "ANALYSE",
    "ConversationAnalyser",
    "ConversationAnalysis",
    "ConversationDebrief",
    "LabelsOf",
    "StoredAnalysis",
    "Transcript",
    "TranscriptError",
    "analyse_conversation",
    "conversation_debrief",
    "parse_transcript",
    "read_transcript_file",
    "scenario_words",
]
