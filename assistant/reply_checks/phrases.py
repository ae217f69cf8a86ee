"""The phrases the reply checks look for, English and Danish side by side.

Matched on ``skill_rules.normalise``d text (lower case, straight quotes), whatever the
session's language: a model that slips often slips into the other language too.
"""

from __future__ import annotations

import re


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\wæøå])(?:" + "|".join(patterns) + r")(?![\wæøå])")


# A helpful assistant's stock phrases: never what a colleague says in a hard conversation.
ASSISTANT_VOICE = _any(
    r"(?:i'?m|i am|i'd be|i would be) (?:happy|glad|here) to (?:help|assist)",
    r"happy to help",
    r"how (?:can|may) i (?:help|assist)(?: you)?(?: today)?",
    r"what can i (?:help|do for) you with",
    r"here are (?:some|a few) (?:tips|suggestions|ideas|steps|ways)",
    r"feel free to",
    r"i hope (?:this|that) helps",
    r"is there anything else (?:i can|you)",
    r"(?:of course|certainly|absolutely)! here (?:is|are)",
    r"great(?:,)? let'?s (?:get started|dive in)",
    r"as an assistant",
    r"jeg hjælper (?:dig )?gerne",
    r"jeg vil (?:meget )?gerne hjælpe (?:dig)?",
    r"hvordan kan jeg hjælpe(?: dig)?(?: i dag)?",
    r"hvad kan jeg hjælpe (?:dig )?med",
    r"her er (?:nogle|et par) (?:tips|råd|forslag|idéer|ideer|trin)",
    r"du er (?:altid )?velkommen til at",
    r"jeg håber, (?:det|dette) hjælper",
    r"jeg håber (?:det|dette) hjælper",
    r"er der andet,? jeg kan",
    r"selvfølgelig! her (?:er|kommer)",
)

# A model's stock refusal: never right from a colleague, a coach or an audience member.
REFUSAL = _any(
    r"(?:i'?m sorry|sorry|i apologi[sz]e),? but i (?:can'?t|cannot|am unable to|'m unable to) "
    r"(?:assist|help) with (?:that|this)(?: request)?",
    r"i (?:can'?t|cannot) (?:assist|help) with (?:that|this) request",
    r"as an ai,? i (?:can'?t|cannot)",
    r"(?:beklager|undskyld),? men jeg kan ikke hjælpe (?:dig )?med (?:det|dette|den anmodning)",
    r"jeg kan desværre ikke hjælpe (?:dig )?med (?:det|dette|den anmodning)",
)

# A persona coaching the person from inside the role, or speaking for them.
COACHING_THE_USER = _any(
    r"(?:i can|let me|i'll|i will|i'd like to|i want to) help you (?:choose|decide|find|figure|"
    r"pick|plan|prepare|think|work out|practi[sc]e|improve|with)",
    r"help you (?:choose|pick|decide on) (?:something|one|an? \w+)",
    r"what you (?:noticed|realised|realized|learned|learnt) (?:is|was|here)",
    r"you (?:noticed|realised|realized) that (?:i|my|you)",
    r"(?:you could|you might|you should) (?:try|consider) (?:asking|saying|telling|to ask)",
    r"(?:a|one) (?:good|better) (?:way|question) (?:to ask|for you)",
    r"(?:your|the) (?:coaching|listening) (?:skills|technique)",
    r"jeg kan hjælpe dig med at (?:vælge|beslutte|finde|planlægge|forberede|øve)",
    r"lad mig hjælpe dig",
    r"hjælpe dig med at vælge",
    r"det,? du (?:lagde mærke til|opdagede|lærte),? (?:er|var)",
    r"du lagde mærke til,? at (?:jeg|mit|min|du)",
    r"du (?:kunne|kan|burde) prøve at (?:spørge|sige|fortælle)",
    r"(?:et|en) (?:godt|bedre|god) (?:spørgsmål|måde) at (?:stille|spørge)",
    r"dine (?:coaching|lytte)(?:-)?(?:evner|færdigheder|teknik)",
)

# The app's own instruction text and tags (prompts/): a reply that reads them back.
INSTRUCTION_PHRASES = _any(
    r"note from the (?:peer coach |rehearsal )?app",
    r"reminder from the coaching guide",
    r"when the work of this stage is done",
    r"end your reply with",
    r"(?:this|the) session is at stage \d",
    r"session[- ]stage",
    r"turn[- ]note",
    r"ask one open question\.",
    r"your last draft",
    r"write that reply again",
    r"stay (?:in character|\w+ for the whole conversation)",
    r"note fra (?:peer coach-)?(?:appen|øve-appen)",
    r"besked fra øve-appen",
    r"påmindelse fra coachingguiden",
    r"når fasens arbejde er gjort",
    r"slut dit svar med",
    r"samtalen er i fase \d",
    r"stil ét åbent spørgsmål\.",
    r"dit sidste udkast",
    r"skriv svaret igen",
)
APP_TAGS = re.compile(
    r"</?\s*(?:session-stage|turn-note|transcript|question|reference|presentation-notes|"
    r"retrieved|notes|system)\s*>",
    re.IGNORECASE,
)
