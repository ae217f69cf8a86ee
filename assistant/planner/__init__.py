"""The session-question generator: a timed plan of coaching questions for one topic.

Offline, :func:`build_plan` picks and orders questions from the question bank by stage, topic
words and relationship, deterministically (no randomness, ties broken by bank order). With a
model, :func:`tailor_plan` asks for the same questions rephrased for the topic in one structured
request, streamed question by question (each checked on its own; a question the model did not
rephrase usably keeps its question-bank text), and falls back to the offline plan (saying why)
when the model fails. See docs/plan.md.

The package keeps one module per step: ``plan`` (the plan's shape and labels), ``bank`` (the
question bank), ``words`` (stemming and matching), ``build`` (the offline plan and role-play
suggestion), ``tailor`` (the model) and ``render`` (Markdown, data, file name). Callers import
from ``assistant.planner``.
"""

from __future__ import annotations

# Names imported ``as`` themselves are not in __all__ but stay importable from here, as they
# were from the single planner module.
from assistant.planner.bank import (
    BankQuestion,
    QuestionBank,
    load_question_bank,
)
from assistant.planner.bank import ScenarioRef as ScenarioRef
from assistant.planner.bank import StageSpec as StageSpec
from assistant.planner.build import (
    build_plan,
    check_plan_input,
    stage_minutes,
    suggest_roleplay,
)
from assistant.planner.build import questions_for as questions_for
from assistant.planner.plan import BANK_STAGES as BANK_STAGES
from assistant.planner.plan import LANGS as LANGS
from assistant.planner.plan import (
    MAX_MINUTES,
    MAX_TOPIC_CHARS,
    MIN_MINUTES,
    PLAN_STAGES,
    RELATIONSHIPS,
    PlanQuestion,
    PlanStage,
    RolePlay,
    SessionPlan,
    relationship_label,
)
from assistant.planner.plan import MAX_QUESTION_CHARS as MAX_QUESTION_CHARS
from assistant.planner.plan import PlanSource as PlanSource
from assistant.planner.plan import PlanStageId as PlanStageId
from assistant.planner.render import plan_file_name, plan_to_dict, plan_to_markdown, source_line
from assistant.planner.tailor import (
    TailoredPlan,
    TailoringStep,
    tailor_plan,
    tailor_plan_steps,
)
from assistant.planner.tailor import TailoredQuestion as TailoredQuestion
from assistant.planner.tailor import invalid_output_error as invalid_output_error
from assistant.planner.tailor import plan_messages as plan_messages
from assistant.planner.tailor import tailoring_head as tailoring_head
from assistant.planner.words import content_words as content_words
from assistant.planner.words import stem

__all__ = [
    "MAX_MINUTES",
    "MAX_TOPIC_CHARS",
    "MIN_MINUTES",
    "PLAN_STAGES",
    "RELATIONSHIPS",
    "BankQuestion",
    "PlanQuestion",
    "PlanStage",
    "QuestionBank",
    "RolePlay",
    "SessionPlan",
    "TailoredPlan",
    "TailoringStep",
    "build_plan",
    "check_plan_input",
    "load_question_bank",
    "plan_file_name",
    "plan_to_dict",
    "plan_to_markdown",
    "relationship_label",
    "source_line",
    "stage_minutes",
    "stem",
    "suggest_roleplay",
    "tailor_plan",
    "tailor_plan_steps",
]
