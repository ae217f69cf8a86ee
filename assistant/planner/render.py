"""Output: the plan as Markdown, as JSON-ready data and as a file name."""

from __future__ import annotations

import re
from typing import Any

from assistant.planner.plan import _LABELS, SessionPlan, relationship_label


def source_line(plan: SessionPlan) -> str:
    """One sentence saying where the questions came from, in the plan's language."""
    labels = _LABELS[plan.lang]
    if plan.source == "model":
        total = len(plan.questions)
        key = "source_model_all" if plan.tailored >= total else "source_model"
        key = "source_tailoring" if plan.tailoring else key
        return labels[key].format(model=plan.model or "a model", count=plan.tailored, total=total)
    return labels["source_fallback" if plan.notice is not None else "source_bank"]


def plan_to_markdown(plan: SessionPlan) -> str:
    """The plan as print-friendly Markdown: a heading per stage with its minutes, each
    question with its [stage · strategy] tag."""
    labels = _LABELS[plan.lang]
    minutes = labels["minutes"]
    lines = [
        f"# {labels['title']}: {plan.topic}" if plan.topic else f"# {labels['title']}",
        "",
        f"**{labels['relationship']}:** {relationship_label(plan.relationship, plan.lang)} · "
        f"**{labels['length']}:** {minutes.format(n=plan.minutes)}",
        "",
        f"*{source_line(plan)}*",
    ]
    for number, stage in enumerate(plan.stages, start=1):
        lines += ["", f"## {number}. {stage.name} ({minutes.format(n=stage.minutes)})", ""]
        lines += [
            f"{n}. {q.text} *[{q.stage} · {q.strategy}]*"
            for n, q in enumerate(stage.questions, start=1)
        ]
    if plan.roleplay is not None:
        lines += ["", f"## {labels['roleplay']}", "", plan.roleplay.text]
    lines += ["", "---", "", f"*{labels['footer']}*", ""]
    return "\n".join(lines)


def plan_to_dict(plan: SessionPlan) -> dict[str, Any]:
    """The plan as JSON-ready data (the shape documented in docs/plan.md)."""
    return {
        "topic": plan.topic,
        "lang": plan.lang,
        "relationship": plan.relationship,
        "minutes": plan.minutes,
        "source": plan.source,
        "model": plan.model,
        "notice": plan.notice.message(plan.lang) if plan.notice else None,
        "stages": [
            {
                "id": stage.id,
                "name": stage.name,
                "minutes": stage.minutes,
                "questions": [
                    {"id": q.id, "text": q.text, "stage": q.stage, "strategy": q.strategy}
                    for q in stage.questions
                ],
            }
            for stage in plan.stages
        ],
        "roleplay": (
            {
                "scenario": plan.roleplay.scenario_id,
                "title": plan.roleplay.title,
                "text": plan.roleplay.text,
            }
            if plan.roleplay
            else None
        ),
    }


def plan_file_name(plan: SessionPlan) -> str:
    """A file name for the plan's Markdown, from its topic."""
    slug = re.sub(r"[^\w]+", "-", plan.topic.lower()).strip("-_")[:40].strip("-_")
    return f"session-plan-{slug or plan.lang}.md"
