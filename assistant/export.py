"""Exporting sessions as JSON and Markdown (transcript with branches, debrief, action plan,
goals touched); the `coach export` command is in export_cli.py."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from assistant.store import Store

FORMATS = ("md", "json")


def session_export(store: Store, user_id: int, session_id: int) -> dict[str, Any] | None:
    """Everything about one of the user's sessions as JSON-ready data, or None."""
    session = store.session(user_id, session_id)
    if session is None:
        return None
    active = {t.id for t in store.turns(session.id)}
    labels = store.turn_labels(session.id)  # the live labels of the user's lines (issue #18)
    turns = [
        {
            "id": t.id,
            "parent_id": t.parent_id,
            "role": t.role,
            "author": t.author,
            "text": t.text,
            "status": t.status,
            "on_current_branch": t.id in active,
            "created_at": t.created_at,
            **({"labels": labels[t.id]} if t.id in labels else {}),
        }
        for t in store.all_turns(session.id)
    ]
    goals = [
        {"id": g.id, "text": g.text, "due": g.due, "status": g.status, "progress": g.progress}
        for g in store.goals(user_id)
        if g.session_id == session.id or any(c.session_id == session.id for c in g.check_ins)
    ]
    options = dict(session.options)
    return {
        "id": session.id,
        "mode": session.mode,
        "lang": session.lang,
        "title": session.title,
        "scenario": options.get("scenario"),
        "created_at": session.created_at,
        "updated_at": session.updated_at,
        "turns": turns,
        "debriefs": [asdict(d) for d in store.debriefs(session.id)],
        "action_plan": options.get("action_plan"),
        "skills": options.get("skills"),
        "goals": goals,
    }


def to_markdown(data: dict[str, Any]) -> str:
    """A readable Markdown document of an exported session (text kept verbatim)."""
    you = "Du" if data["lang"] == "da" else "You"
    other = "Coach" if data["mode"] == "reflect" else "Model"
    lines = [
        f"# {data['title'] or data['mode']}",
        "",
        f"- mode: {data['mode']} · language: {data['lang']} · session {data['id']}",
        f"- started {data['created_at']} · last activity {data['updated_at']}",
    ]
    if data.get("scenario"):
        lines.append(f"- scenario: {data['scenario']}")
    lines += ["", "## Transcript", ""]
    for turn in data["turns"]:
        if turn["status"] == "superseded":
            continue
        who = you if turn["role"] == "user" else other
        branch = "" if turn["on_current_branch"] else " _(other branch)_"
        status = " _(interrupted)_" if turn["status"] == "interrupted" else ""
        lines += [f"**{who}**{branch}{status}:", "", turn["text"], ""]
        if turn.get("labels"):
            lines += [f"_labels: {', '.join(turn['labels'].get('labels', []))}_", ""]
    plan = data.get("action_plan")
    if plan:
        lines += ["## Action plan", ""]
        lines += [f"- {key}: {value}" for key, value in plan.items() if value]
        lines.append("")
    for debrief in data["debriefs"]:
        lines += ["## Debrief", ""]
        if debrief.get("rating") is not None:
            lines.append(f"Rating: {debrief['rating']:.1f} / 5")
        lines += [debrief.get("text") or json.dumps(debrief.get("data"), ensure_ascii=False), ""]
    if data["goals"]:
        lines += ["## Goals", ""]
        lines += [f"- [{g['status']}] {g['text']} ({g['progress']}%)" for g in data["goals"]]
        lines.append("")
    return "\n".join(lines)


def safe_file_name(title: str, session_id: int, fmt: str) -> str:
    """A file name from a session title that cannot leave its folder."""
    slug = re.sub(r"[^A-Za-z0-9æøåÆØÅ_-]+", "-", title).strip("-.")[:50] or "session"
    return f"peer-coach-{session_id}-{slug}.{fmt}"


def render(data: dict[str, Any], fmt: str) -> str:
    """One export in the chosen format."""
    return json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else to_markdown(data)
