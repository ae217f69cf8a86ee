"""Strings of the History tab."""

from __future__ import annotations

# key: (English, Danish)
PAIRS: dict[str, tuple[str, str]] = {
    "tab_history": ("History", "Historik"),
    "history_mode": ("Mode", "Tilstand"),
    "history_all": ("All modes", "Alle tilstande"),
    "history_scenario": ("Scenario", "Scenarie"),
    "history_all_scenarios": ("All scenarios", "Alle scenarier"),
    "history_pick": ("Open a session", "Åbn en samtale"),
    "history_col_id": ("#", "#"),
    "history_col_mode": ("Mode", "Tilstand"),
    "history_col_title": ("Title or scenario", "Titel eller scenarie"),
    "history_col_lang": ("Language", "Sprog"),
    "history_col_date": ("Started", "Startet"),
    "history_col_minutes": ("Minutes", "Minutter"),
    "history_col_rating": ("Rating", "Vurdering"),
    "history_export_md": ("Export as Markdown", "Eksportér som Markdown"),
    "history_export_json": ("Export as JSON", "Eksportér som JSON"),
    "history_export_all": ("Export all (JSON)", "Eksportér alle (JSON)"),
    "history_delete": ("Delete", "Slet"),
    "history_confirm": ("Yes, delete session #{id}", "Ja, slet samtale #{id}"),
    "history_deleted": ("Session #{id} deleted.", "Samtale #{id} er slettet."),
    "history_pick_first": ("Open a session first.", "Åbn først en samtale."),
    "history_resume": ("Resume", "Genoptag"),
    "history_resumed": (
        "Session #{id} is open again in the {mode} tab.",
        "Session #{id} er åben igen under fanen {mode}.",
    ),
}
