"""Feedback moves in one line of a hard conversation, found by rules in English and Danish.

The moves (SBI feedback and non-blaming talk):

- ``observation``: a concrete observation of behaviour ("I noticed that…", "I saw…", "in the
  last two meetings…", "Jeg har lagt mærke til…", "jeg så…");
- ``i_statement``: an I-statement about impact ("I felt…", "it meant that I…", "for me it
  meant", "jeg blev…", "det betød for mig…");
- ``blame``: blame aimed at the person ("you always", "your fault", "you never", "du altid",
  "din skyld", "du aldrig");
- ``generalisation``: an absolute ("always", "never", "every time", "altid", "aldrig", "hver
  gang"), whoever it is about;
- ``request``: a request or next step ("could we agree…", "I'd like us to…", "next time…",
  "kan vi aftale…", "jeg vil gerne have at vi…");
- ``check_understanding``: a check of understanding ("did I get that right?", "is that how you
  see it?", "har jeg forstået dig rigtigt?").

Both languages' phrasings are checked whatever ``lang`` says, because people switch. A rule
names a phrasing, not a meaning: "you always deliver" counts as a generalisation and as blame.
``line_labels`` adds the listening-skill labels of ``assistant.skills`` to the moves; ``tip``
picks at most one short tip for a line.
"""

from __future__ import annotations

import re

from assistant.skill_rules import (
    EXPERIENCE_AFTER_ABSOLUTE,
    blames,
    normalise,
    opens_with_observation,
)
from assistant.skills import classify, split_units

OBSERVATION = "observation"
I_STATEMENT = "i_statement"
BLAME = "blame"
GENERALISATION = "generalisation"
REQUEST = "request"
CHECK = "check_understanding"

MOVES: tuple[str, ...] = (OBSERVATION, I_STATEMENT, BLAME, GENERALISATION, REQUEST, CHECK)


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


_DAYS = (
    r"(on )?(monday|tuesday|wednesday|thursday|friday|yesterday|last week|this morning)"
    r"|(i )?(mandags|tirsdags|onsdags|torsdags|fredags|mandag|tirsdag|onsdag|torsdag|fredag)"
    r"|i går|i morges|i sidste uge"
)

RULES: dict[str, re.Pattern[str]] = {
    OBSERVATION: _rx(
        r"i('ve| have)? (noticed|seen|observed|saw|heard)",
        r"i('ve| have)? noticed",
        r"i noticed",
        r"(in|at|during) the (last|past) (two|three|four|few|\d+) (meetings|weeks|days|sprints)",
        r"(in|at|during) (the|this|yesterday's|monday's|friday's) (meeting|stand-?up|review)",
        r"the (report|deadline|handover|code|release) was (late|missing|due)",
        r"(" + _DAYS + r")[, ]+(you|the|du|rapporten)",
        r"jeg har (lagt mærke til|set|bemærket|hørt|oplevet) at",
        r"jeg (lagde mærke til|så|bemærkede|hørte) at",
        r"jeg har lagt mærke til",
        r"(på|til|i) de (sidste|seneste) (to|tre|fire|\d+) (møder|uger|dage|sprints)",
        r"(på|til|i) (mødet|morgenmødet|gennemgangen|standup)",
        r"(rapporten|deadlinen|afleveringen|koden) (kom|var) (for sent|forsinket|ikke)",
    ),
    I_STATEMENT: _rx(
        r"i (felt|feel|was|got|get|became) (worried|frustrated|stressed|concerned|unsure|"
        r"disappointed|anxious|upset|annoyed|left out|caught|embarrassed|uneasy|sad)",
        r"(it|that) (meant|means|left|leaves|made|makes) (that )?(i|me)",
        r"for me (it|that) (meant|means|was)",
        r"the impact (on me|for me|was|is)",
        r"i('m| am) (worried|concerned|frustrated|unsure|uneasy)",
        r"jeg (blev|bliver|følte mig|føler mig|er) (bekymret|frustreret|stresset|usikker|"
        r"skuffet|ked af det|irriteret|utryg|forvirret|overrasket)",
        r"det (betød|betyder|gjorde|gør) (at jeg|mig)",
        r"for mig (betød|betyder|var) det",
        r"(det|konsekvensen) (betød|betyder) for mig",
    ),
    BLAME: _rx(
        r"you (\w+ )?(always|never|constantly)(?! " + EXPERIENCE_AFTER_ABSOLUTE["en"] + ")",
        r"you (keep|just don't|don't even|can't even)",
        r"you('re| are) (always|never|so|too|completely|totally) "
        r"(late|lazy|careless|sloppy|unreliable|difficult|negative|defensive)",
        r"(it's|it is|that's|that is) (all )?your (fault|problem|mistake)",
        r"your fault",
        r"why (can't|don't|won't) you (ever|just)",
        r"what's wrong with you",
        r"du (\w+ )?(altid|aldrig|hele tiden)(?! " + EXPERIENCE_AFTER_ABSOLUTE["da"] + ")",
        r"du (bliver ved med|gider ikke|kan ikke engang)",
        r"du er (altid|aldrig|så|for|helt) (sent|doven|sjusket|upålidelig|besværlig|negativ)",
        r"(det er|det er jo) (din|jeres) (skyld|fejl|problem)",
        r"din skyld",
        r"hvorfor kan du (aldrig|ikke bare)",
    ),
    GENERALISATION: _rx(
        r"always",
        r"never",
        r"every (single )?time",
        r"all the time",
        r"constantly",
        r"nobody|no one|everyone",
        r"altid",
        r"aldrig",
        r"hver (eneste )?gang",
        r"hele tiden",
        r"ingen|alle sammen",
    ),
    REQUEST: _rx(
        r"(could|can|shall) we (agree|try|set|find|plan|make|look|meet|start|book)",
        r"i('d| would) (like|want|ask) (us|you) to",
        r"(let's|let us) (agree|try|plan|set|meet|book|find)",
        r"next time,? (could|can|would|will|please|let's|i'd)",
        r"(from now on|going forward|by (monday|tuesday|wednesday|thursday|friday|tomorrow))",
        r"what (would|could) (help|work) (for you )?(next time|going forward)",
        r"(kan|skal) vi (aftale|prøve|sætte|finde|planlægge|lave|mødes|starte|booke)",
        r"jeg (vil|ville) (gerne|godt) (have|bede)",
        r"lad os (aftale|prøve|planlægge|mødes|finde)",
        r"(næste gang|fremover|fra nu af|inden (mandag|tirsdag|onsdag|torsdag|fredag|i morgen))",
        r"hvad (ville|kunne) hjælpe (dig )?(næste gang|fremover)",
    ),
    CHECK: _rx(
        r"(did|have) i (get|got|understand|understood) (that|this|you|it) right",
        r"(is|was) that (right|fair|correct|how you see it)",
        r"am i (right|understanding|getting)",
        r"do i understand (you|that) (right|correctly)",
        r"let me (check|make sure) (i|that i)",
        r"(is that|does that sound) (about )?right",
        r"har jeg (forstået|fanget) (dig|det) (rigtigt|korrekt)",
        r"forstår jeg dig (rigtigt|ret)",
        r"er (det|dét) (rigtigt|korrekt|fair) (forstået)?",
        r"(passer|stemmer) det",
        r"lad mig (lige )?(tjekke|høre) om jeg",
    ),
}

_LABEL_ORDER = (
    "open_question",
    "closed_question",
    "reflection_simple",
    "reflection_complex",
    "affirmation",
    "advice",
    "other",
)


def feedback_moves(text: str, lang: str) -> list[str]:
    """The feedback moves found in one line, in the order of ``MOVES`` (see the docstring).

    Blame implies nothing else; a generalisation is reported apart from blame, so "you always…"
    carries both.
    """
    norm = normalise(text)
    found = {move for move in MOVES if RULES[move].search(norm)}
    # The unit rules of ``assistant.skill_rules`` (anchored at the start of a sentence), in
    # both languages: what the classifier calls blame or an observation is one here too.
    for unit in split_units(text):
        for either in ("en", "da"):
            if blames(unit, either):
                found.add(BLAME)
            if opens_with_observation(unit, either):
                found.add(OBSERVATION)
    return [move for move in MOVES if move in found]


def skill_labels(text: str, lang: str) -> list[str]:
    """The distinct listening-skill labels of a line's units, in a fixed order."""
    found = {unit.label for unit in classify(text, lang)}
    return [label for label in _LABEL_ORDER if label in found]


def line_labels(text: str, lang: str) -> list[str]:
    """Skill labels (``assistant.skills``) followed by the feedback moves of one line."""
    return [*skill_labels(text, lang), *feedback_moves(text, lang)]


def tip_key(labels: list[str], *, understood: bool) -> str | None:
    """The i18n key of the one tip that applies to a line's labels, or None when none does.

    ``understood`` says whether an earlier line already reflected or asked openly; advice
    before that, blame, and closed or stacked questions each have a tip.
    """
    if BLAME in labels or GENERALISATION in labels:
        return "live_tip_blame"
    if "advice" in labels and not understood:
        return "live_tip_advice"
    questions = labels.count("closed_question")
    if questions and "open_question" not in labels:
        return "live_tip_closed"
    return None
