"""The plan's shape: stage and relationship ids, limits, labels and the plan dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from assistant.errors import CoachError

PlanSource = Literal["question-bank", "model"]

PlanStageId = Literal[
    "check-in", "goal", "exploration", "options", "feedback", "accountability", "action", "close"
]
PLAN_STAGES: tuple[str, ...] = get_args(PlanStageId)
BANK_STAGES = (
    "check-in",
    "goal",
    "exploration",
    "options",
    "action",
    "reflection",
    "accountability",
    "feedback",
)
RELATIONSHIPS = ("peers", "new-leader", "cross-team")
LANGS = ("en", "da")
MIN_MINUTES, MAX_MINUTES = 10, 180
MAX_TOPIC_CHARS = 500
MAX_QUESTION_CHARS = 300

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Session plan",
        "relationship": "Relationship",
        "length": "Length",
        "minutes": "{n} min",
        "source_bank": "Questions picked from the Peer Coach question bank (no model).",
        "source_model": (
            "Questions from the Peer Coach question bank, tailored to the topic by {model} "
            "({count} of {total} questions; the others are the question bank's)."
        ),
        "source_model_all": (
            "Questions from the Peer Coach question bank, tailored to the topic by {model} "
            "(all {total} questions)."
        ),
        "source_tailoring": (
            "Questions from the Peer Coach question bank, being tailored to the topic by "
            "{model}: {count} of {total} so far."
        ),
        "source_fallback": (
            "Questions picked from the Peer Coach question bank (the model could not tailor them)."
        ),
        "roleplay": "Role-play suggestion",
        "roleplay_text": (
            "Let the coachee rehearse the real conversation: you play the other person, then "
            "swap roles and let them hear how it lands. Peer Coach has a built-in scenario for "
            "this: “{title}” (`{id}`)."
        ),
        "footer": "The minutes follow the Peer Coach session flow; treat them as a guide.",
    },
    "da": {
        "title": "Sessionsplan",
        "relationship": "Relation",
        "length": "Længde",
        "minutes": "{n} min.",
        "source_bank": "Spørgsmålene er valgt fra Peer Coachs spørgsmålsbank (uden model).",
        "source_model": (
            "Spørgsmål fra Peer Coachs spørgsmålsbank, tilpasset emnet af {model} "
            "({count} af {total} spørgsmål; de øvrige er spørgsmålsbankens)."
        ),
        "source_model_all": (
            "Spørgsmål fra Peer Coachs spørgsmålsbank, tilpasset emnet af {model} "
            "(alle {total} spørgsmål)."
        ),
        "source_tailoring": (
            "Spørgsmål fra Peer Coachs spørgsmålsbank, som {model} er ved at tilpasse emnet: "
            "{count} af {total} indtil nu."
        ),
        "source_fallback": (
            "Spørgsmålene er valgt fra Peer Coachs spørgsmålsbank "
            "(modellen kunne ikke tilpasse dem)."
        ),
        "roleplay": "Forslag til rollespil",
        "roleplay_text": (
            "Lad fokuspersonen øve den rigtige samtale: du spiller den anden part, og så bytter "
            "I roller, så hun eller han kan høre, hvordan det lyder. Peer Coach har et indbygget "
            "scenarie til det: “{title}” (`{id}`)."
        ),
        "footer": "Minutterne følger Peer Coachs sessionsforløb; brug dem som en rettesnor.",
    },
}

_RELATIONSHIP_LABELS = {
    "en": {
        "peers": "Peers",
        "new-leader": "New leader with an experienced colleague",
        "cross-team": "Cross-team",
    },
    "da": {
        "peers": "Kolleger på samme niveau",
        "new-leader": "Ny leder med en erfaren kollega",
        "cross-team": "På tværs af teams",
    },
}


def relationship_label(relationship: str, lang: str) -> str:
    """How a relationship id is shown to the user in a language."""
    return _RELATIONSHIP_LABELS.get(lang, _RELATIONSHIP_LABELS["en"]).get(
        relationship, relationship
    )


# --------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanQuestion:
    """One question of a plan, tagged with its plan stage and the strategy it draws on."""

    id: str
    text: str
    stage: str
    strategy: str
    bank_index: int


@dataclass(frozen=True)
class PlanStage:
    """One stage of the session: its name in the plan's language, minutes and questions."""

    id: str
    name: str
    minutes: int
    questions: tuple[PlanQuestion, ...]


@dataclass(frozen=True)
class RolePlay:
    """A built-in scenario in which the coachee can rehearse the conversation."""

    scenario_id: str
    title: str
    text: str


@dataclass(frozen=True)
class SessionPlan:
    """A timed session plan; ``source`` says whether a model tailored the questions."""

    topic: str
    lang: str
    relationship: str
    minutes: int
    stages: tuple[PlanStage, ...]
    roleplay: RolePlay | None = None
    source: PlanSource = "question-bank"
    model: str | None = None
    notice: CoachError | None = field(default=None, compare=False)
    # With source "model": how many questions the model rephrased (the others are the
    # question bank's), and whether it is still at work (a plan shown while it streams).
    tailored: int = 0
    tailoring: bool = False

    @property
    def questions(self) -> list[PlanQuestion]:
        """Every question in plan order."""
        return [q for stage in self.stages for q in stage.questions]
