"""Strings of the Knowledge tab: search, kinds, uploads and the search index."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "tab_knowledge": ("Knowledge", "Viden"),
    "knowledge_intro": (
        (
            "The coaching library behind the coach's questions and feedback: strategies, "
            "activities, frameworks, examples, questions and scenarios. Search it in your own "
            "words, or pick an entry to read it."
        ),
        (
            "Coachingbiblioteket bag coachens spørgsmål og feedback: strategier, aktiviteter, "
            "modeller, eksempler, spørgsmål og scenarier. Søg med dine egne ord, eller vælg et "
            "opslag for at læse det."
        ),
    ),
    "knowledge_query": ("Search the library", "Søg i biblioteket"),
    "knowledge_placeholder": (
        "e.g. how do I give hard feedback?",
        "fx hvordan giver jeg svær feedback?",
    ),
    "knowledge_kind": ("Kind", "Type"),
    "knowledge_search": ("Search", "Søg"),
    "knowledge_read": ("Read an entry", "Læs et opslag"),
    "knowledge_no_hits": (
        "Nothing found. Try other words or another kind.",
        "Intet fundet. Prøv andre ord eller en anden type.",
    ),
    "knowledge_empty_query": (
        "Write what you are looking for first.",
        "Skriv først, hvad du leder efter.",
    ),
    "knowledge_indexing": (
        "The library is still being indexed; results may be incomplete.",
        "Biblioteket indekseres stadig; resultaterne kan mangle noget.",
    ),
    "knowledge_unavailable": (
        "Search is not available right now ({reason}).",
        "Søgning er ikke tilgængelig lige nu ({reason}).",
    ),
    "knowledge_indexing_progress": (
        (
            "The library is being indexed: {done} of {total} passages so far; results may be "
            "incomplete."
        ),
        (
            "Biblioteket indekseres: {done} af {total} afsnit indtil videre; resultaterne kan "
            "mangle noget."
        ),
    ),
    "knowledge_rebuilding": (
        (
            "The knowledge index {reason}; it is being rebuilt from the library and your stored "
            "documents: {done} of {total} passages so far. Results may be incomplete until then."
        ),
        (
            "Vidensindekset {reason}; det bygges nu op igen fra biblioteket og dine gemte "
            "dokumenter: {done} af {total} afsnit indtil videre. Resultaterne kan mangle noget, "
            "til det er færdigt."
        ),
    ),
    "index_reason_missing": ("was missing", "manglede"),
    "index_reason_corrupted": ("was damaged", "var beskadiget"),
    "index_reason_collection_missing": ("had lost a collection", "havde mistet en samling"),
    "index_reason_count_mismatch": ("was incomplete", "var ufuldstændigt"),
    "kind_all": ("Everything", "Alt"),
    "kind_strategy": ("Strategies", "Strategier"),
    "kind_activity": ("Activities", "Aktiviteter"),
    "kind_session_flow": ("Session flow", "Samtaleforløb"),
    "kind_example": ("Examples", "Eksempler"),
    "kind_framework": ("Frameworks", "Modeller"),
    "kind_question_bank": ("Question bank", "Spørgsmålsbank"),
    "kind_scenario": ("Scenarios", "Scenarier"),
    "kind_upload": ("Your documents", "Dine dokumenter"),
    "uploads_title": ("Your documents", "Dine dokumenter"),
    "uploads_intro": (
        (
            "Add your own notes, e.g. your team's feedback guidelines (.md, .txt or .pdf, up to "
            "5 MB and 50 pages). They stay on this machine, only you see them, and search uses "
            "them too."
        ),
        (
            "Tilføj dine egne noter, fx teamets retningslinjer for feedback (.md, .txt eller "
            ".pdf, op til 5 MB og 50 sider). De bliver på denne maskine, kun du ser dem, og "
            "søgningen bruger dem også."
        ),
    ),
    "uploads_file": ("Add a document", "Tilføj et dokument"),
    "uploads_none": ("No documents yet.", "Ingen dokumenter endnu."),
    "uploads_chunks": ("passages", "afsnit"),
    "uploads_added": ("Added {name} ({chunks} passages).", "{name} er tilføjet ({chunks} afsnit)."),
    "uploads_delete_pick": ("Document to delete", "Dokument, der skal slettes"),
    "uploads_delete": ("Delete", "Slet"),
    "uploads_confirm": ("Yes, delete {name}", "Ja, slet {name}"),
    "uploads_pick_first": ("Pick a document first.", "Vælg først et dokument."),
    "uploads_deleted": ("Deleted {name}.", "{name} er slettet."),
}
