"""The bilingual (Danish/English) rules behind `assistant.skills.classify_unit`.

One unit (one sentence) goes through these steps, first match wins:

1. Is it a question? Yes when it ends with "?" and has question syntax (a wh-word such as
   what/hvad, or an auxiliary/finite verb first: "Do you...", "Har du..."), or when it lacks
   final punctuation but starts that way. A declarative sentence with a question mark ("So you
   feel stuck?", "Du har haft travlt, ikke?") is treated as a statement: a reflection with a
   rising tone is still a reflection. After a leading condition ("If you had a magic wand,
   what would you do?") the last clause decides.
2. Questions: suggestion forms are advice ("Have you considered...", "Why don't you...",
   "Hvad med at...", "Could you ask..."); requests to tell more are open ("Can you tell me
   more?", "Kan du fortælle..."); restricted wh-words (when, where, who, which, how many,
   hvornår, hvor, hvem, "hvilken af") are closed; other wh-words are open; yes/no questions
   are closed.
3. Statements: "tell me more"/"fortæl" requests are open questions; then affirmation cues
   (strengths, effort, courage, "really well"), advice cues (modal "you should/du burde",
   imperatives not addressed to the coach, "if I were you", "I'd...", "det kunne være en
   idé"), reflection cues (you/du as subject, "so.../så...", "it sounds like/det lyder som");
   a statement that names a feeling without "you" is a (less certain) complex reflection;
   anything else is `other`.
4. A reflection is complex when it names a feeling, value or meaning, uses a metaphor or a
   double-sided form, or is framed as an inference ("it sounds like", "det virker som",
   "maybe you..."); otherwise it is simple.
5. Two rules then override the form (issue #18). Blame (``BLAME_PHRASES``: "Why do you always
   miss the deadline?", "Hvorfor kan du aldrig nå det til tiden?", "You never listen, do
   you?") is a statement: a question or reflection form becomes `other`, so it raises neither
   the MITI counts nor openness. A simple reflection that opens with when or where the
   behaviour happened ("I går på mødet afbrød du Sara", "This morning at stand-up you...") is
   an observation of behaviour, not a reflection of what they said: `other` too.

Units marked not `confident` are the ones an optional model assistant may re-decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = "open_question"
CLOSED = "closed_question"
SIMPLE = "reflection_simple"
COMPLEX = "reflection_complex"
ADVICE = "advice"
AFFIRMATION = "affirmation"
OTHER = "other"


@dataclass(frozen=True)
class Decision:
    """A label, whether the rules were sure of it, and the rule that decided."""

    label: str
    confident: bool
    rule: str


def _word_set(words: str) -> set[str]:
    return set(words.split())


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# Leading words that carry no function ("Okay, so what happened?").
_FILLERS = {
    "en": _word_set("okay ok so and but well right now mm hm yeah yes alright then oh ah mhm"),
    "da": _word_set("okay ok så og men nå ja jamen altså mm mhm hm nåh javel"),
}
_WH = {
    "en": _word_set("what what's whats how how's why when where who who's whom whose which"),
    "da": _word_set("hvad hvordan hvorfor hvornår hvem hvor hvilken hvilket hvilke hvorhen"),
}
_AUX_EN = _word_set(
    "do does did is are was were have has had can could will would should shall "
    "may might must am don't doesn't didn't isn't aren't wasn't weren't haven't "
    "hasn't hadn't can't couldn't won't wouldn't shouldn't"
)
# Danish finite verbs that commonly open a yes/no question; used only when "?" is missing.
_FINITE_DA = _word_set(
    "er var har havde kan kunne vil ville skal skulle må bør burde gør gjorde "
    "tror synes ved føler tænker oplever"
)
_SUBJECTS = {
    "en": _word_set(
        "you you're youre you've you'd you'll your it it's its that that's this he "
        "she they there there's i i'm we he's she's they're part being maybe perhaps"
    ),
    "da": _word_set(
        "du jeg han hun det der den i vi de man din dit dine hans hendes jeres deres en måske så"
    ),
}
_PRONOUNS = _word_set("you i we he she they it that there this du jeg vi han hun de det der man")

# --- questions ---------------------------------------------------------------------------

_OPEN_REQUEST_Q = {
    "en": _rx(
        r"^(can|could|would|will) you (please )?(tell|say|describe|explain|elaborate|expand|"
        r"walk me|talk me|(talk|speak) (a bit |a little |some |more )?about|"
        r"give (me )?(an|another|a concrete|some|a few) examples?|share|clarify|"
        r"be more specific|put (it|that|this) into words|help me understand)\b",
        r"^(would|do) you (like|want|care) to (tell|say|talk|share|describe|explain|elaborate|"
        r"expand)\b",
    ),
    "da": _rx(
        r"^(kan|kunne|vil|ville) (du|i) (ikke )?(prøve at )?(fortælle|sige (lidt |noget )?mere|"
        r"beskrive|forklare|uddybe|give (mig |os )?(et|flere|nogle|et par) eksemp|"
        r"sætte (flere )?ord på|dele|præcisere|tale (lidt |mere )?om|sige noget om)",
        r"^(har|har i) (du )?lyst til at (fortælle|sige|dele|beskrive|uddybe)",
    ),
}
_VAGUE_OBJECT = r"(any|anything|something|everything|other|others|it|that|this|them|all)\b"
_VAGUE_OBJECT_DA = r"(noget|nogen|andet|andre|alt|det|dem|den)\b"
_ING_NOUNS = (
    r"(thing|things|something|anything|everything|nothing|morning|evening|meeting|meetings|"
    r"feeling|feelings|timing|funding|training|building|wedding|spring|ring|king)\b"
)
_ADVICE_Q = {
    "en": _rx(
        rf"^(have|did) you (ever )?(considered|thought about|thought of|tried|looked into)"
        rf" (?!{_VAGUE_OBJECT})",
        r"^why (don't|dont|not|wouldn't|won't) (you|we)\b",
        r"^why not\b",
        r"^(what|how) about (if |you \w+)",
        rf"^(what|how) about (?!{_ING_NOUNS})\w+ing\b",
        r"^what if (you|we|i|they|he|she)\b(?! (can't|couldn't|don't|didn't|won't|fail|lose|are "
        r"wrong|were wrong)\b)",
        r"^(would|wouldn't|could|might) it (help|be (a good idea|better|useful|helpful|worth|"
        r"easier|wise|possible)) (to|if)\b",
        r"^(shouldn't|couldn't|can't|wouldn't|oughtn't) you\b",
        r"^(don't|do) you think (that )?(you|it) (should|ought|could|need|would be better)\b",
        r"^(is|isn't) it (worth|time) (to|for you)\b",
    ),
    "da": _rx(
        rf"^(har|havde) (du|i) (nogensinde |måske |også )?(overvejet|tænkt på|tænkt over|prøvet|"
        rf"forsøgt|undersøgt) (?!{_VAGUE_OBJECT_DA})",
        r"^hvorfor \w+r (du|i) (\w+ ){0,3}?ikke\b",
        r"^hvorfor ikke\b",
        r"^hvad med at\b",
        r"^hvad hvis (du|i|vi|jeg)\b(?! (ikke|fejler|taber)\b)",
        r"^(ville|vil|kunne|kan) det (måske )?(hjælpe|være (en )?(god )?idé|være godt|være en "
        r"fordel|være bedre|give mening) (at|hvis)\b",
        r"^(synes|tror|mener) (du|i) ikke,? (at )?(du|i|det) (burde|bør|skulle|ville være bedre)",
        r"^(burde|bør|skulle) (du|i) ikke\b",
    ),
}
# "Could you <verb>...?" suggests an action unless the verb is about thinking or telling.
_COULD_YOU = {
    "en": re.compile(r"^(could|couldn't) you (just |maybe |perhaps )?(\w+)"),
    "da": re.compile(r"^kunne (du|i) (ikke )?(bare |måske )?(\w+)"),
}
_CAN_YOU = {
    "en": re.compile(r"^(can|could) you (just )?(\w+)"),
    "da": re.compile(r"^(kan|kunne) (du|i) (ikke )?(\w+)"),
}
_COGNITION = {
    "en": _word_set(
        "see imagine think remember recall picture feel understand follow live accept "
        "tell say hear identify name recognise recognize put find get make be"
    ),
    "da": _word_set(
        "se forestille huske tænke mærke forstå følge leve acceptere genkende sige "
        "fortælle høre nævne finde få være"
    ),
}
_CLOSED_WH = {
    "en": _rx(
        # "Where do you think it starts?" asks for their view, so it stays open (issue #18).
        r"^(when|where|who|who's|whom|whose|which)\b"
        r"(?! do you (think|see|feel|believe|imagine|sense)\b)",
        r"^how (many|much|long|often|old|far|soon)\b",
        r"^what (time|day|date|year|month|number|percentage)\b",
    ),
    "da": _rx(
        r"^(hvornår|hvem|hvor|hvorhen)\b(?! (tror|synes|mener|oplever|fornemmer) du\b)",
        r"^(hvilken|hvilket|hvilke) (\w+ )?af\b",
    ),
}
_TAG = re.compile(
    r",?\s*(right|correct|yes|no|is that right|is that correct|am i right|isn't it|ikke|"
    r"ikke sandt|ikke også|er det rigtigt|har jeg ret|eller hvad)\s*\?*$"
)

# --- statements --------------------------------------------------------------------------

_OPEN_REQUEST_S = {
    "en": _rx(
        r"^(please )?(tell (me|us)\b|say (a (bit|little) |some )?more\b|describe\b|"
        r"walk me through|talk me through|give (me )?(an|another|a concrete|some) examples?\b|"
        r"elaborate\b|expand on\b|explain (to me|what|how|why|more|a bit)\b|"
        r"share (more|a bit|a little|with me)\b|go into more detail\b|help me understand\b)"
    ),
    "da": _rx(
        r"^(fortæl( (mig|os|mere|lidt|om|noget|hvad|hvordan|hvorfor|gerne))?\b|beskriv\b|uddyb\b|"
        r"giv (mig |os )?(et|flere|nogle|et par) eksemp|sig (lidt |noget )?mere\b|"
        r"forklar (mig|lidt|mere|hvad|hvordan|hvorfor)\b|hjælp mig (med at )?forstå\b)"
    ),
}
_AFFIRMATION = {
    "en": _rx(
        r"\b(courage|courageous|brave|bravely|impressive|impressed|admire|admirable|integrity|"
        r"strength|strengths|resourceful|thoughtful|commendable|kudos)\b",
        r"\b(well|nicely) (done|handled)\b",
        r"\b(good|great|nice|excellent|fantastic|brilliant) (job|work)\b",
        r"\b(did|done) a (really )?(good|great|fantastic|brilliant|excellent) job\b",
        r"\b(should|can|could|must) be (very |really |so )?proud\b",
        r"\bproud of you\b",
        r"\b(it|that) shows\b",
        r"\bpaid off\b",
        r"\b(taken|took|made) (a|an|the|your|this) (really )?"
        r"(important |big |brave |first )+step\b",
        r"\b(a |an )?(real |natural )?(talent|gift|knack|flair) for\b",
        r"\byou(?:'re| are) a natural\b",
        r"\b(that|it)(?:'s| is| was) (a |an )?(really |very )?(smart|clever|wise|good|great|brave|"
        r"bold|strong|thoughtful|mature|generous|excellent|constructive|kind) (move|call|decision|"
        r"choice|instinct|way|approach|perspective)\b",
        r"\b(kept|keep|keeping) (your|a) (cool|head)\b",
        r"\bstayed (calm|focused|professional)\b",
        r"\bnot everyone (does|would|could|can|manages|dares)\b",
        r"\b(progress|how far you(?:'ve| have) come)\b",
        r"\b(show|showed|shown|shows|showing|took|takes|demonstrated) (real |a lot of |great |"
        r"so much |such |a great deal of )?(leadership|initiative|patience|empathy|resilience|"
        r"commitment|insight|skill|maturity|judg(e)?ment|determination|persistence|care|"
        r"responsibility|ownership|charge|self[- ]awareness|courage|openness|honesty)\b",
        r"^you (\w+ ){0,2}(thoroughly|carefully|skil(l)?fully|gracefully|beautifully|brilliantly|"
        r"professionally|wisely)\b",
        r"\b(great|good|sharp|valuable|real) insight\b",
        r"\bhard work\b",
        r"\bput (so much|a lot of|real|great|much|serious) (effort|work|energy|care|time)\b",
        r"\bworked (really |so |very |incredibly )?hard\b",
        r"\byou(?:'re| are) (really |very |so )?good at\b",
        r"\b(great|good|nice|wonderful|brilliant),? that you\b",
        r"\b(clearly|obviously|evidently) (care|cares|worked|prepared)\b",
        r"\b(didn't|did not) give up\b",
        r"\b(kept going|stuck with it|persevered)\b",
        r"\beven when it (was|got) (hard|tough|difficult)\b",
        r"\bi (really )?(appreciate|admire|respect) (your|how|that you|the way)\b",
        r"\byou(?:'re| are| were|'ve been| have been) (really |very |so |incredibly |extremely )?"
        r"(brave|strong|wise|generous|creative|committed|dedicated|capable|skilled|persistent|"
        r"resilient|considerate|mature|professional|determined|patient|calm|honest|open|clear|"
        r"insightful|reflective|self[- ]aware|organi[sz]ed|well[- ]prepared)\b"
        r"(?! (to|that|about|on)\b)",
        r"\b(for|by) being (so |very |really )?(brave|honest|open|generous|patient|clear|candid)\b",
        # Praise of something the person did (issue #18: these read as reflections before).
        r"\byou handled (\w+ ){0,4}(really |very |so )?(calmly|well|gracefully|professionally|"
        r"skil(l)?fully|nicely)\b",
        r"\bput (so much |a lot of |real |great |serious )?thought into\b",
        r"\bwas a (really |very )?(smart|clever|wise|good|great|brave|bold) (move|call|idea|"
        r"choice|decision)\b",
        r"\byour (preparation|hard work|effort|care|work|planning) (really )?shows\b",
        r"\byou did the right thing\b",
    ),
    "da": _rx(
        r"\b(kræve[rd]e?|kræver) (virkelig |meget |stort )?mod\b",
        r"\bmodig(t|e)?\b",
        r"\b(imponerende|imponeret|beundre\w*|integritet|styrke|styrker|ressourcestærk|"
        r"gennemtænkt)\b",
        r"\bgodt (gået|klaret|arbejde)\b",
        r"\bflot(t|te)?\b",
        r"\bstærkt\b",
        r"\bstolt af dig\b",
        r"\b(godt|være|kan) (være )?stolt\b",
        r"\bdet kan man (mærke|se)\b",
        r"\bdet viser\b",
        r"\bbetalte sig\b",
        r"\b(taget|tog) (et |dit )?(vigtigt |stort |modigt |første )+skridt\b",
        r"\brykket dig\b",
        r"\b(et |en )?(særligt |ægte |naturligt )?(talent|gave|sans) for\b",
        r"\b(en )?(naturlig|særlig) evne\b",
        r"\bet naturtalent\b",
        r"\b(det|den) (var|er) (et |en )?(rigtig |meget )?(klogt?|god|godt|stærkt?|modigt?|flot|"
        r"modent?|generøs|konstruktiv|venlig) (træk|valg|beslutning|instinkt|måde|tilgang)\b",
        r"\bholdt hovedet koldt\b",
        r"\b(bevarede|holdt) roen\b",
        r"\bikke alle,? (der )?(gør|ville|kan|tør|magter)\b",
        r"\b(fremskridt|hvor langt du er (nået|kommet))\b",
        r"\bdu (\w+ ){0,3}(grundigt|omhyggeligt|dygtigt|professionelt|elegant|klogt)\b",
        r"\b(vise|viste|viser|udviste|kræver|krævede|tog|tager|taget) "
        r"(ægte |stort |meget |virkelig |en )?"
        r"(lederskab|initiativ|tålmodighed|empati|robusthed|engagement|indsigt|dømmekraft|"
        r"vedholdenhed|omsorg|modenhed|ansvar|ejerskab|selvindsigt|mod|åbenhed|ærlighed)\b",
        r"\b(god|skarp|værdifuld|ægte) indsigt\b",
        r"\b(lagt|lægger) (et )?(stort|meget|godt|virkelig meget) (arbejde|energi|omsorg)\b",
        r"\bsætter (stor |virkelig |rigtig )?pris på\b",
        r"\bjeg kan (godt|rigtig godt) lide (hvor|at du|måden)\b",
        r"\b(gav|giver) ikke op\b",
        r"\bopgav ikke\b",
        r"\bholdt (ud|fast)\b",
        r"\bselv da det (var|blev) svært\b",
        r"\barbejdet (rigtig |virkelig |meget |så )?hårdt\b",
        r"\bdu er (rigtig |meget |virkelig )?god til\b",
        r"\b(godt|flot|dejligt|fint),? at du\b",
        r"\b(tydeligvis|tydeligt|åbenlyst) (meget )?(går|gik|arbejde|forberedt|op i)\b",
        r"\bdu (er|var|har været) (rigtig |meget |virkelig |så |utrolig )?"
        r"(modig|stærk|dygtig|klog|ærlig|åben|klar|ressourcestærk|vedholdende|omsorgsfuld|"
        r"professionel|rolig|tålmodig|reflekteret|velforberedt|grundig|engageret)\b"
        r"(?! (til|over|på)\b)",
        # Praise of something the person did (issue #18: these read as reflections before).
        r"\bdu håndterede (\w+ ){0,3}(meget |rigtig |virkelig )?(roligt|godt|flot|professionelt|"
        r"dygtigt)\b",
        r"\bdu (var|er) (meget |rigtig |virkelig )?ærlig over for dig selv\b",
        r"\bdet var (rigtig |meget )?(klogt|modigt|flot|stærkt) at\b",
        r"\bdin (forberedelse|indsats|omhu|planlægning) kan (mærkes|ses)\b",
        r"\bdu gjorde det rigtige\b",
    ),
}
# "really well" / "rigtig godt" praises when not negated.
_WELL = {
    "en": _rx(
        r"\b(really|very|so|extremely|incredibly) well\b", r"^you (\w+ )*?\w+ed (\w+ ){0,3}well$"
    ),
    "da": _rx(
        r"\b(rigtig|virkelig|meget|utrolig|så) godt\b",
        r"^du (\w+ ){1,5}godt$",
        r"^det \w+ du (\w+ ){0,4}godt$",
    ),
}
_NOT_PRAISE_WELL = re.compile(r"\b(har det|doing|feel|feeling|going|gik|går|get on|get along)\b")
_NEGATION = re.compile(r"\b(not|n't|never|ikke|aldrig)\b|n't\b")

_REFLECTION_FRAME_EN = (
    r"^(it )?sounds (like|as if|as though)\b|^it seems\b|^seems like\b|^you seem\b|"
    r"^it(?:'s| is) (as if|as though|like)\b|^part of you\b|^on (the )?one hand\b|"
    r"^(maybe|perhaps) you\b(?!(?:'d| would)? ?(should|could|might|need|must|ought|can|try)\b)|"
    r"^i (get the sense|sense|wonder if|imagine|guess)\b|"
    r"what i(?:'m| am) hearing|^i(?:'m| am) hearing\b|^i hear (that|you)\b|"
    r"^if i understand|^what you(?:'re| are) saying|^you(?:'re| are) saying\b|"
    r"^you (feel|felt)\b|^(deep down|underneath|somewhere)\b|^it(?:'s| is) like \w+ing\b"
)
_REFLECTION_FRAME_DA = (
    r"^det lyder (som|til)\b|^lyder som\b|^det virker (som|til)\b|^du virker\b|"
    r"^det er som om\b|^(en|den ene) (del|side) af dig\b|^på den ene side\b|"
    r"^måske (er|føler|spekulerer|tænker|synes|har|vil|oplever|tvivler|mærker|savner) (du|i)\b|"
    r"^det jeg hører\b|^jeg hører\b|^hvis jeg forstår\b|^jeg fornemmer\b|^du siger\b|"
    r"^du (føler|følte)\b|^(inderst inde|et eller andet sted|under det)\b|"
    r"^det er (som at|ligesom)\b"
)
_REFLECTION_FRAME = {"en": re.compile(_REFLECTION_FRAME_EN), "da": re.compile(_REFLECTION_FRAME_DA)}

_ADVICE_S = {
    "en": _rx(
        r"\byou (really |just |probably |definitely )?(should|ought to|need to|must|might want to|"
        r"may want to|could try|can try|could always|might try|could)\b",
        r"\byou (might|may|could) (consider|look into|think about)\b",
        r"\byou(?:'ll| will) (want|need) to\b",
        r"\b(it's|it is|it'd be|it would be) (probably |maybe |perhaps )?(best|better|wise|smart|"
        r"a good idea) (to|if you)\b",
        r"\bi(?:'d| would) (suggest|recommend|advise|encourage)\b",
        r"\bi (suggest|recommend|advise|encourage you)\b",
        r"\bmy (advice|suggestion|tip)\b",
        r"\bif i (were|was) you\b",
        r"\bin your (shoes|position),? i\b",
        r"^(honestly,? |personally,? )?i(?:'d| would) (?!(like|love|hate|imagine|guess|think|hope|"
        r"want|appreciate|need|be|say|rather|have|just|agree|wonder|prefer)\b)\w+",
        r"\b(the way|what) i(?:'d| would) do\b",
        r"\b(it (might|may|could|would|will|can)|it'd|it'll) (really |probably )?"
        r"(help|be (a good idea|worth|"
        r"useful|helpful|wise|smart|better|good))\b",
        r"\b(the )?(best|simplest|easiest|quickest|safest|smartest) "
        r"(thing|option|approach|move|way)"
        r"( to do)? (would be|is|might be) to\b",
        r"\b(a )?(good )?idea (would be|is|might be) to\b",
        r"\bone option (is|would be|could be|might be) to\b",
        r"\b(would|could|might) be to\b",
        r"^(maybe|perhaps|just) (try|talk|ask|tell|write|make|take|consider)\b",
        r"^why not\b",
        r"^(what|how) about (if |you \w+|\w+ing\b)",
        r"^don't\b(?! worry)",
        r"^do not\b",
    ),
    "da": _rx(
        r"\bdet er (nok |måske |sikkert )?(bedst|bedre|klogest|klogt|en god idé) (at|hvis du)\b",
        r"\bdu (burde|bør|må hellere|må ikke|kunne(?! ikke)|kan prøve|kan overveje|kan jo|"
        r"skal huske|skal sørge|skal prøve|skal lade|må huske|er nødt til|bliver nødt til)\b",
        r"\b(måske (skulle|kunne|burde) (du|i)|(du|i) skulle måske|skulle (du|i) måske)\b",
        r"\bjeg synes,? (at )?(du|i) (skal|bør|burde|skulle)\b",
        r"\bjeg (vil|ville|vil gerne) (foreslå|anbefale|råde)\b",
        r"\bjeg (foreslår|anbefaler|råder dig)\b",
        r"\bmit (råd|forslag|tip)\b",
        r"\bhvis jeg var (dig|i dit sted)\b",
        r"^(ærligt talt |personligt )?jeg ville (?!(gerne|tro|tænke|sige|mene|høre|vide|ønske|være|"
        r"nok|ikke)\b)\w+",
        r"\b(sådan som|det) jeg ville gøre\b",
        r"\b(burde|bør) (du|i)\b",
        r"\b(skulle|kunne) (du|i) (måske|bare|jo)\b",
        r"\bdet (kan|kunne|vil|ville) (måske |nok |også )?(hjælpe|være en (god )?idé|være godt|"
        r"være en fordel|betale sig)\b",
        r"\ben (god )?idé (kunne|ville|vil|er|kan) (være )?at\b",
        r"\bdet (bedste|enkleste|letteste|nemmeste|klogeste|sikreste) "
        r"(ville|vil|er|kunne)( være)? at\b",
        r"\b(kunne|ville|vil) være at\b",
        r"^hvad med at\b",
        r"^hvorfor ikke\b",
        r"^lad være\b",
    ),
}
_IMPERATIVES = {
    "en": _word_set(
        "try talk ask tell write make take set book schedule send speak focus "
        "remember consider stop start keep let give get go be do avoid delegate "
        "prioritise prioritize practise practice email call check plan prepare say "
        "put use find read sleep breathe block reach raise bring push accept remind "
        "list ignore contact invite arrange suggest propose drop cut reduce limit "
        "learn think note agree decide pick choose turn close switch leave stay join "
        "rest share explain sit escalate document request offer trust forget stand "
        "show spend clarify confront apologise apologize simplify split inform "
        "involve follow look ring phone message text shut"
    ),
    "da": _word_set(
        "prøv tal spørg skriv lav tag sæt book send fokuser fokusér husk overvej tænk "
        "stop start begynd hold lad giv få gå vær gør undgå uddeleger uddelegér "
        "prioriter prioritér øv ring tjek planlæg forbered sig brug find kig læs sov "
        "træk sørg forsøg bed aftal inviter invitér luk sluk del skær drop accepter "
        "acceptér beslut vælg bliv nævn kontakt afklar forklar ryd meld afvis deleger"
    ),
}
_NOT_ADVICE_START = {
    "en": _rx(
        r"^(let's|let us|let me|go on|go ahead|take your time|thank|thanks|keep going\b"
        r"(?! with)|do go on|don't worry|say that again)"
    ),
    "da": _rx(r"^(lad os|lad mig|tag dig (god |den )?tid|tak\b|fortsæt|sig det igen)"),
}
_SECOND_PERSON = {
    "en": _word_set("you you're youre you've you'd you'll your yourself"),
    "da": _word_set("du dig din dit dine i jer jeres"),
}
_NOT_REFLECTION = {
    "en": _rx(
        r"^(thank|thanks|see you|bless you|you're welcome|nice to|good to|great to|"
        r"lovely to)"
    ),
    "da": _rx(r"^(tak\b|velkommen|godt at se|dejligt at se|vi ses|hej)"),
}

# --- blame and observations of behaviour (issue #18) ---------------------------------------

# After an absolute, these words make it about their experience, not an accusation.
EXPERIENCE_AFTER_ABSOLUTE = {
    "en": r"(feel|felt|feeling|got|get to|had|knew|wanted|seem|seemed|the one|been (the one|"
    r"there|asked|given|told))\b",
    "da": r"(følt|føler|følte|fået|fik|får|haft|havde|vidst|vidste|været den|turdet|kunnet)\b",
}
_EXP_EN, _EXP_DA = EXPERIENCE_AFTER_ABSOLUTE["en"], EXPERIENCE_AFTER_ABSOLUTE["da"]

# Blame said as a question or about the person as a fact. Such a unit is a statement, not a
# question or reflection, whatever its form: it must not raise the MITI counts or openness.
# Anchored at the start of the unit (after fillers); a reflection frame ("you feel like you're
# always...") is never blame, and nor is an absolute about their experience ("you've never
# felt heard", "du har altid været den, der...").
BLAME_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        r"^(why|how come) (do|does|did|are|were|is|must|would|have|has) you (just |still |even )?"
        r"(always|never|constantly|keep)\b(?! (feel|end up feeling)\b)",
        r"^how come you (just |still )?(always|never|constantly|keep)\b",
        r"^why (can't|cannot|couldn't) you (ever|just)\b",
        r"^why (don't|won't|didn't|wouldn't) you ever\b",
        r"^(can't|don't|won't|didn't|couldn't) you ever\b",
        r"^what(?:'s| is) wrong with you\b",
        r"^who do you think you are\b",
        r"^you(?:'re| are)? (\w+ ){0,2}?(always|never|constantly)\b(?! " + _EXP_EN + ")",
    ),
    "da": (
        r"^hvorfor (?!(føler|følte|oplever|tror|synes|tænker|mener)\b)(\w+ )?(du|i) (\w+ )?"
        r"(altid|aldrig|hele tiden|bliver ved med)\b",
        r"^hvordan kan det være,? at (du|i) (\w+ )?(altid|aldrig|hele tiden)\b",
        r"^(kan|gider|vil) (du|i) (da )?(aldrig|ikke engang)\b",
        r"^hvad (er der galt med|fejler) (dig|du)\b",
        r"^hvem tror du (egentlig )?(at )?du er\b",
        r"^du (\w+ ){0,2}?(altid|aldrig|hele tiden)\b(?! " + _EXP_DA + ")",
    ),
}

# A concrete observation names when or where the behaviour happened, then who or what:
# "I går på mødet afbrød du Sara", "I tirsdags kom rapporten en dag for sent", "This morning
# at stand-up you...". Past time references only: "på tirsdag" is next Tuesday.
PAST_TIME = {
    "en": r"yesterday|this (morning|afternoon)|earlier today|last (week|night|month|monday|"
    r"tuesday|wednesday|thursday|friday)|on (monday|tuesday|wednesday|thursday|friday)",
    "da": r"i går|i forgårs|i morges|i formiddags|i eftermiddags|i aftes|i (mandags|tirsdags|"
    r"onsdags|torsdags|fredags|lørdags|søndags)|i sidste uge|sidste (uge|mandag|tirsdag|onsdag|"
    r"torsdag|fredag)|tidligere i dag",
}
MEETING_PLACE = {
    "en": r"(in|at|during) (the |this |our |yesterday's |today's |monday's |tuesday's |"
    r"wednesday's |thursday's |friday's )?(meeting|stand-?up|review|retro|retrospective|"
    r"planning|workshop|call)",
    "da": r"(på|til|i|under) (mødet|morgenmødet|standup|standuppet|gennemgangen|retroen|"
    r"planlægningen|workshoppen|opkaldet)",
}
OBSERVED_SUBJECT = {
    "en": r"you|he|she|they|your|the (report|deadline|handover|code|release|slides|numbers|"
    r"figures|extracts?|data)",
    "da": r"du|han|hun|de|din|dit|dine|rapporten|deadlinen|afleveringen|koden|udgivelsen|"
    r"tallene|udtrækket|udtrækkene|dataene",
}


def observation_opening(lang: str) -> str:
    """The (unanchored) pattern of a unit that opens with when or where, then who or what."""
    when = f"(?:{PAST_TIME[lang]}|{MEETING_PLACE[lang]})"
    return rf"{when}(?: {when})?,? (?:\w+ ){{0,2}}?(?:{OBSERVED_SUBJECT[lang]})\b"


_BLAME = {lang: _rx(*phrases) for lang, phrases in BLAME_PHRASES.items()}
_OBSERVED = {lang: re.compile("^" + observation_opening(lang)) for lang in ("en", "da")}


def blames(text: str, lang: str) -> bool:
    """Does this unit blame the person (``BLAME_PHRASES``), outside a reflection frame?"""
    lang = "da" if lang == "da" else "en"
    body = _without_fillers(normalise(text), lang)
    return bool(_BLAME[lang].search(body)) and not _REFLECTION_FRAME[lang].search(body)


def opens_with_observation(text: str, lang: str) -> bool:
    """Does this unit open with when or where something happened, then who or what?"""
    lang = "da" if lang == "da" else "en"
    return bool(_OBSERVED[lang].search(_without_fillers(normalise(text), lang)))


def _without_fillers(norm: str, lang: str) -> str:
    # Keeps commas and apostrophes where the phrases expect them ("you never listen, do you").
    words = norm.split(" ")
    while len(words) > 1 and words[0].strip(",.!") in _FILLERS[lang]:
        words = words[1:]
    return " ".join(words)


# --- reflection depth ----------------------------------------------------------------------

_COMPLEX_FRAME = {
    "en": _rx(
        r"^(it )?sounds (like|as if|as though)\b",
        r"^it seems\b",
        r"^seems like\b",
        r"^you seem\b",
        r"^it(?:'s| is) (as if|as though|like)\b",
        r"^part of you\b",
        r"^on (the )?one hand\b",
        r"^(maybe|perhaps) you\b(?!(?:'d| would)? ?(should|could|might|need|must|can)\b)",
        r"^i (get the sense|sense|wonder if|imagine|guess)\b",
    ),
    "da": _rx(
        r"^det lyder (som|til)\b",
        r"^lyder som\b",
        r"^det virker (som|til)\b",
        r"^du virker\b",
        r"^det er som om\b",
        r"^(en|den ene) (del|side) af dig\b",
        r"^på den ene side\b",
        r"^måske\b",
        r"^jeg fornemmer\b",
    ),
}
_DEPTH = {
    "en": _rx(
        r"\b(feel|feels|feeling|felt|frustrat\w*|angr\w*|upset|annoy\w*|irritat\w*|worr\w*|"
        r"anxi\w*|nervous|afraid|scared|fear\w*|sad|sadness|hurt|disappoint\w*|overwhelm\w*|"
        r"exhaust\w*|tired|drained|burn(t|ed) out|stuck|torn|trapped|alone|lonel\w*|"
        r"isolat\w*|overlooked|left out|unseen|unheard|unappreciated|undervalued|invisible|"
        r"asham\w*|guilt\w*|embarrass\w*|proud|reliev\w*|happy|glad|excit\w*|hopeful|"
        r"confus\w*|uncertain|unsure|insecure|doubt\w*|wonder\w*|stress\w*|pressure|risk\w*|"
        r"unsafe|fed up|betray\w*|resent\w*|joy|helpless|powerless|desperate|bitter|shame|"
        r"tough|hard|difficult|painful|heavy|intense|rough|caught|squeezed|pulled|unhappy|"
        r"dissatisfied|discouraged|demotivated|loyal\w*|at any (price|cost))\b",
        r"\b(matter|matters|mattered|important to you|care|cares|caring|value|values|"
        r"meaningful|means a lot|recognition|respect|trust|trusted|trusts|fair|unfair|"
        r"fairness|belong\w*|identity|(not|being|feel|feeling) heard|not being seen)\b",
        r"\b(less about|more about|not really about|really about|it's about|as if|as though|"
        r"carrying|carry|shoulders|weight|juggling|drowning|running on empty|on your plate|"
        r"in the middle|at stake|riding on|a big deal|"
        r"other hand|at the same time|but also|underneath|deep down|whether|and (you )?also|"
        r"let (\w+ )?down|done with|sick of|costing you|the one who|it's like \w+ing|carried|"
        r"shouldered|left holding)\b",
    ),
    "da": _rx(
        r"\b(føl\w*|frustre\w*|vred\w*|irrite\w*|ked af|bekymr\w*|nervøs\w*|bange|angst\w*|"
        r"trist|såret|skuffe\w*|overvæld\w*|udmatte\w*|træt|drænet|udbrændt|fastlåst|klemt|"
        r"splittet|fanget|alene|ensom\w*|overset|holdt udenfor|usynlig|skam\w*|skyldfølelse|"
        r"flov|stolt|lettet|glad|spændt|håbefuld|forvirre\w*|usikker|tvivl\w*|spekuler\w*|"
        r"stress\w*|presset|pres|risikab\w*|tryg|utryg|glæde\w*|savn\w*|magtesløs|"
        r"opgivende|hård|hårdt|svær|svært|tung|tungt|smertefuld\w*|voldsom\w*|klemme|utilfreds|"
        r"ulykkelig|demotiveret|modløs|loyal\w*|for enhver pris)\b",
        r"\b(betyder (meget|noget|alt)|vigtigt? for dig|går op i|anerkend\w*|respekt\w*|"
        r"tillid|stoler|retfærdig\w*|uretfærdig\w*|hørt|set og hørt|værdi\w*|meningsfuld\w*)\b",
        r"\b(mindre om|mere om|handler (ikke|egentlig|mere|mindre)|som om|bærer|skuldre|"
        r"tallerken|jonglere\w*|drukne\w*|løbe tør|den anden side|samtidig|men også|dilemma|"
        r"under det|inderst inde|om du|på spil|står meget|og (du )?også|svigt\w*|holder af|"
        r"koster (det )?dig|den, der|det er (ligesom|som at)|båret|bære|slæbt|slæbe\w*|"
        r"stå(r|et)? (alene |helt alene )?med (det|det hele|ansvaret|opgaven|problemet))\b",
    ),
}


def normalise(text: str) -> str:
    """Lowercase, straighten quotes and squeeze spaces, so the rules see one spelling."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2026", "...")
    return re.sub(r"\s+", " ", text).strip().lower()


def _words(text: str) -> list[str]:
    return re.findall(r"[\w]+(?:'\w+)?", text)


def _strip_fillers(words: list[str], lang: str) -> list[str]:
    i = 0
    while i < len(words) - 1 and words[i] in _FILLERS[lang]:
        i += 1
    return words[i:]


def _question_form(words: list[str], lang: str) -> str:
    """Return "wh", "yn", "decl" or "ellipsis" for the (filler-stripped) words."""
    if not words:
        return "ellipsis"
    first = words[0]
    if first in _WH[lang] and not (
        lang == "en" and first == "what" and len(words) > 1 and words[1] in {"i'm", "i", "you're"}
    ):
        return "wh"
    if lang == "en":
        if first in _AUX_EN:
            return "yn"
        return "decl" if first in _SUBJECTS["en"] else "ellipsis"
    if first in _SUBJECTS["da"]:
        return "decl"
    return "yn"


def _looks_interrogative(words: list[str], lang: str) -> bool:
    """For text without final punctuation: does it still start like a question?"""
    if not words:
        return False
    if words[0] in _WH[lang]:
        return True
    verbs = _AUX_EN if lang == "en" else _FINITE_DA
    return words[0] in verbs and len(words) > 1 and words[1] in _PRONOUNS


_CONDITIONALS = _word_set("if when suppose imagine say hvis når forestil antag")


_LISTENING_FORMS = frozenset({OPEN, CLOSED, SIMPLE, COMPLEX})


def decide(text: str, lang: str) -> Decision:
    """Label one sentence-level unit with the rules described in the module docstring."""
    lang = "da" if lang == "da" else "en"
    decision = _decide_form(text, lang)
    if decision.label in _LISTENING_FORMS and blames(text, lang):
        return Decision(OTHER, True, "blame is a statement, not a question or reflection")
    if decision.label == SIMPLE and opens_with_observation(text, lang):
        return Decision(OTHER, True, "an observation of behaviour, not a reflection")
    return decision


def _decide_form(text: str, lang: str) -> Decision:
    norm = normalise(text)
    words = _words(norm)
    if not words:
        return Decision(OTHER, True, "empty")
    core = _strip_fillers(words, lang)
    if all(w in _FILLERS[lang] for w in words):
        return Decision(OTHER, True, "backchannel")
    ends_q = norm.rstrip("\"')] ").endswith("?")
    if ends_q and "," in norm and core[0] in _CONDITIONALS:
        # "If you had a magic wand, what would you do?": the question is the last clause.
        last = _words(norm.rsplit(",", 1)[1])
        if last and (last[0] in _WH[lang] or last[0] in _AUX_EN | _FINITE_DA):
            return decide(norm.rsplit(",", 1)[1], lang)
    body = " ".join(core)
    has_final = bool(re.search(r"[.!?]['\")\]]*$", norm))
    form = _question_form(core, lang)
    if (ends_q and form != "decl") or (not has_final and _looks_interrogative(core, lang)):
        return _question(body, core, form, lang)
    statement = _TAG.sub("", body) if ends_q else body
    decision = _statement(
        statement, core, lang, full=" ".join(words), starts_so=_starts_with_so(words, lang)
    )
    if ends_q and decision.label == OTHER and form == "ellipsis":
        return Decision(CLOSED, False, "elliptical question")
    return decision


def _question(body: str, core: list[str], form: str, lang: str) -> Decision:
    if _ADVICE_Q[lang].search(body):
        return Decision(ADVICE, True, "suggestion phrased as a question")
    if _OPEN_REQUEST_Q[lang].search(body):
        return Decision(OPEN, True, "request to tell more")
    if form == "wh":
        if _CLOSED_WH[lang].search(body):
            return Decision(CLOSED, True, "restricted wh-word")
        return Decision(OPEN, True, "wh-question")
    could = _COULD_YOU[lang].match(body)
    if could and could.group(could.lastindex or 0) not in _COGNITION[lang]:
        return Decision(ADVICE, True, "could you + action")
    can = _CAN_YOU[lang].match(body)
    if can and can.group(can.lastindex or 0) not in _COGNITION[lang]:
        return Decision(CLOSED, False, "can you + action (closed or a suggestion)")
    if form == "ellipsis" and _OPEN_REQUEST_S[lang].search(body):
        return Decision(OPEN, True, "request to tell more")
    return Decision(CLOSED, form == "yn", "yes/no question")


def _statement(body: str, core: list[str], lang: str, full: str, starts_so: bool) -> Decision:
    if _OPEN_REQUEST_S[lang].search(body):
        return Decision(OPEN, True, "request to tell more")
    praises_well = (
        _WELL[lang].search(body) is not None
        and not _NEGATION.search(body)
        and not _NOT_PRAISE_WELL.search(body)
        and (bool(set(core) & _SECOND_PERSON[lang]) or core[0] in {"det", "that", "it"})
    )
    if _AFFIRMATION[lang].search(full) or praises_well:
        return Decision(AFFIRMATION, True, "strength or effort")
    frame = _REFLECTION_FRAME[lang].search(body)
    if not frame and (_ADVICE_S[lang].search(body) or _is_imperative(core, body, lang)):
        return Decision(ADVICE, True, "advice form")
    second_person = _second_person_subject(core, lang) or bool(_FOR_YOU[lang].search(body))
    if frame or starts_so or (second_person and not _NOT_REFLECTION[lang].search(body)):
        if _COMPLEX_FRAME[lang].search(body) or _DEPTH[lang].search(body):
            return Decision(COMPLEX, True, "adds feeling or meaning")
        return Decision(SIMPLE, bool(frame or starts_so), "restates content")
    if core[0] not in _FIRST_PERSON and _DEPTH[lang].search(body):
        return Decision(COMPLEX, False, "names a feeling without 'you'")
    return Decision(OTHER, len(core) <= 3, "no cue")


_OPENERS = _word_set("and also now still clearly og nu også stadig")
_FIRST_PERSON = _word_set("jeg vi lad tak i'll i we let")
_FOR_YOU = {
    "en": re.compile(r"\b(for|to) you(rself)?$"),
    "da": re.compile(r"\b(for|til) dig( selv)?$"),
}


def _second_person_subject(core: list[str], lang: str) -> bool:
    """Is "you"/"du" the subject: first word, after an opener, or (Danish) after the verb?"""
    subjects = _SECOND_PERSON[lang] - {"dig", "jer", "yourself"}
    if core and core[0] in subjects:
        return True
    if len(core) > 1 and core[0] in _OPENERS and core[1] in subjects:
        return True
    # Danish puts the subject after the verb when something else comes first: "Nu har du..."
    return lang == "da" and "du" in core[1:4] and core[0] not in _FIRST_PERSON


def _starts_with_so(words: list[str], lang: str) -> bool:
    """ "So you've been busy" / "Så du har haft travlt": a summary of what was said."""
    so = "so" if lang == "en" else "så"
    rest = words[1:] if words[:1] in (["okay"], ["ok"]) else words
    return len(rest) > 1 and rest[0] == so


def _is_imperative(core: list[str], body: str, lang: str) -> bool:
    if not core or _NOT_ADVICE_START[lang].search(body):
        return False
    start = core[1:] if core[0] in {"just", "maybe", "perhaps", "please", "bare", "måske"} else core
    if len(start) > 1 and start[1] in {"me", "us", "mig", "os"}:
        return False  # a request to the coach ("Give me a second"), not advice to the coachee
    return bool(start) and start[0] in _IMPERATIVES[lang]


# --- guards: explicit requests for advice, and role-play breaking character -----------------

ADVICE_REQUEST = _rx(
    r"\bwhat (should|shall|do|can|could|would|must) i do\b",
    r"\bwhat would you do\b",
    r"\bwhat (would|do|can) you (suggest|recommend|advise)\b",
    r"\bwhat do you think i should\b",
    r"\b(any|some|a few|got any|have any|your) (good )?(tips|advice|suggestions|pointers|"
    r"recommendations|ideas for what)\b",
    r"\b(can|could|would|will) you (give|offer|share with) me (some |any |a |your )?"
    r"(advice|tips?|suggestions?|pointers?|recommendations?)\b",
    r"\bi (need|want|would like|'d like|could use) (some |your |a )?(advice|tips|suggestions|"
    r"recommendation)\b",
    r"\bwhat(?:'s| is) your (advice|suggestion|recommendation)\b",
    r"\bhow should i\b",
    r"\btell me what (to do|i should do)\b",
    r"\bif you were me\b",
    r"\bshould i\b",
    r"\bhvad (skal|bør|burde|kan|skulle|må) jeg (gøre|stille op)\b",
    r"\bhvad ville du (gøre|foreslå|anbefale|råde)\b",
    r"\bhvad (foreslår|anbefaler|råder) du\b",
    r"\bhar du (et|nogle|nogen|et par|gode|et godt)? ?(gode |godt )?(råd|tips|forslag|idéer|"
    r"ideer)\b",
    r"\b(nogle|nogen|et par|dit|dine) (gode )?(råd|tips|forslag)\b",
    r"\b(giv|kan du give|vil du give|kunne du give) mig (et|nogle|nogen|et par|dit)? ?"
    r"(godt |gode )?(råd|tips|forslag)\b",
    r"\bjeg (har brug for|vil gerne have|kunne godt bruge|mangler) (et |nogle |dit |dine |gode |"
    r"et godt )?(råd|tips|forslag)\b",
    r"\bhvordan (skal|bør|burde) jeg\b",
    r"\bhvis du var mig\b",
    r"\bhvad er dit (råd|forslag)\b",
    r"\b(skal|bør|burde) jeg\b",
    r"\bhvad vil du råde mig til\b",
)

OUT_OF_ROLE: dict[str, re.Pattern[str]] = {
    "ai_disclosure": _rx(
        r"\bas an? (ai|a\.i\.|artificial intelligence|(large )?language model|llm|chatbot|"
        r"virtual assistant|ai assistant|ai model)\b",
        r"\bi(?:'m| am) (just |only |merely )?(an? )?(ai|a\.i\.|(large )?language model|llm|"
        r"chatbot|bot|virtual assistant|ai assistant|computer program|ai model)\b",
        r"\b(language model|my training data|i was trained|i don't have (personal )?(feelings|"
        r"experiences|a body))\b",
        r"\bsom (en )?(ai|kunstig intelligens|sprogmodel|chatbot|ai-model|ai-assistent)\b",
        r"\bjeg er (bare |kun |blot )?(en )?(ai|kunstig intelligens|sprogmodel|chatbot|bot|"
        r"virtuel assistent|computerprogram|ai-model|ai-assistent)\b",
        r"\b(sprogmodel|mine træningsdata|jeg er trænet)\b",
    ),
    "technique_feedback": _rx(
        r"\b(great|good|nice|excellent|powerful|lovely|brilliant) (question|reflection|"
        r"open question|summary|paraphrase)\b",
        r"\b(good|great|nice|excellent) use of\b",
        r"\b(open|closed|leading) questions?\b",
        r"\bactive listening\b",
        r"\b(your|that) (reflection|paraphrase|summary) (was|is)\b",
        r"\byou (should|could|might want to|may want to) try (to )?(ask|asking|use|using|"
        r"reflect|reflecting|rephras\w*|paraphras\w*|summari[sz]\w*|an? (open|closed|follow-up)|"
        r"open|listening|being more curious)\w*",
        r"\b(godt|fint|flot) spurgt\b",
        r"\b(godt|fint|flot|stærkt|rigtig godt) (spørgsmål|åbent spørgsmål|refleksion)\b",
        r"\b(åbne?|lukkede?|ledende) spørgsmål\b",
        r"\b(god|fin|flot) brug af\b",
        r"\baktiv lytning\b",
        r"\b(din|den) (refleksion|opsummering) (var|er)\b",
        r"\bdu (burde|kunne|skulle|bør) prøve at (spørge|stille|bruge|reflektere|omformulere|"
        r"opsummere|lytte)\b",
        r"\bprøv at stille\b",
    ),
    "role_break": _rx(
        r"\bas your coach\b",
        r"\b(this|the) role[- ]?play\b",
        r"\bout of (character|role)\b",
        r"\bstep(ping)? out of (the |my )?(role|character)\b",
        r"\bsom din coach\b",
        r"\b(i )?rollespil(let)?\b",
        r"\b(træder|træde) ud af rollen\b",
        r"\bude af rollen\b",
    ),
}


# --- splitting (documented on assistant.skills.split_units) ---------------------------------

_ABBREVIATIONS = _word_set(
    "e.g i.e etc vs mr mrs ms dr approx incl a.m p.m cf fx f.eks bl.a dvs "
    "osv ca evt mv pga inkl nr kl jf mht ifm hhv vedr ang st tlf mvh"
)
_BARE_TAGS = {
    "right",
    "correct",
    "yes",
    "ikke",
    "ikke sandt",
    "ikke også",
    "ja",
    "eller hvad",
    "er det rigtigt",
    "is that correct",
    "am i right",
}
_TERMINATOR = re.compile(r"(\.{3,}|[.?!]+)[\"'\u201d\u2019)\]]*(?=\s|$)")


def split_with_lines(text: str) -> list[tuple[int, str]]:
    """Sentence-level units with the 0-based index of the line they are on (see split_units)."""
    units: list[tuple[int, str]] = []
    for index, line in enumerate(text.splitlines()):
        pieces: list[str] = []
        start = 0
        for match in _TERMINATOR.finditer(line):
            if not _ends_sentence(line, match):
                continue
            pieces.append(line[start : match.end()])
            start = match.end()
        pieces.append(line[start:])
        for raw in pieces:
            piece = raw.strip()
            if not re.search(r"\w", piece):
                continue
            tag = normalise(piece).strip("?!. ")
            if tag in _BARE_TAGS and units and units[-1][0] == index and piece.endswith("?"):
                units[-1] = (index, f"{units[-1][1]} {piece}")
            else:
                units.append((index, piece))
    return units


def _ends_sentence(line: str, match: re.Match[str]) -> bool:
    mark = match.group(1)
    if mark.startswith("..") and len(mark) >= 3:
        following = line[match.end() :].lstrip()
        return not following or following[0].isupper()
    if mark != ".":
        return True
    before = re.search(r"([\w.]+)$", line[: match.start()])
    word = before.group(1).lower().rstrip(".") if before else ""
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


# --- verdict wording (assistant.skills.verdict) ---------------------------------------------

VERDICT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "empty": "No coach utterances to assess yet.",
        "summary": "Open questions: {open}, closed questions: {closed}, reflections: {refl} "
        "(complex: {complex}), unasked advice: {advice}, affirmations: {affirm}.",
        "rq": "Your reflection-to-question ratio is {value}:1 — {where} (fair {fair}:1, good "
        "{good}:1).",
        "rq_noq": "You asked no questions and reflected {refl} times, which meets the MITI 'good' "
        "level for reflections to questions ({good}:1).",
        "rq_none": "You neither asked questions nor reflected, so the reflection-to-question "
        "ratio can't be measured.",
        "cr": "{value} of your reflections were complex — {where} (fair {fair}, good {good}).",
        "cr_none": "You made no reflections, so the share of complex reflections can't be "
        "measured; try saying back what you hear.",
        "open": "{value} of your questions were open.",
        "advice": 'You gave advice you were not asked for {times}; ask first ("Would you like '
        'a suggestion?").',
        "once": "once",
        "times": "{n} times",
        "talk": "You spoke {value} of the words; {hint}",
        "talk_high": "in coaching the other person usually does most of the talking.",
        "talk_ok": "the other person had at least half of the words.",
        "below fair": "below the MITI 'fair' level",
        "fair": "at the MITI 'fair' level",
        "good": "at the MITI 'good' level",
    },
    "da": {
        "empty": "Der er endnu ingen coach-replikker at vurdere.",
        "summary": "Åbne spørgsmål: {open}, lukkede spørgsmål: {closed}, refleksioner: {refl} "
        "(komplekse: {complex}), uopfordrede råd: {advice}, anerkendelser: {affirm}.",
        "rq": "Dit forhold mellem refleksioner og spørgsmål er {value}:1 — {where} (rimeligt "
        "{fair}:1, godt {good}:1).",
        "rq_noq": "Du stillede ingen spørgsmål og reflekterede {refl} gange, hvilket svarer til "
        "MITI-niveauet 'godt' for refleksioner i forhold til spørgsmål ({good}:1).",
        "rq_none": "Du hverken stillede spørgsmål eller reflekterede, så forholdet mellem "
        "refleksioner og spørgsmål kan ikke måles.",
        "cr": "{value} af dine refleksioner var komplekse — {where} (rimeligt {fair}, godt "
        "{good}).",
        "cr_none": "Du lavede ingen refleksioner, så andelen af komplekse refleksioner kan ikke "
        "måles; prøv at sige tilbage, hvad du hører.",
        "open": "{value} af dine spørgsmål var åbne.",
        "advice": 'Du gav råd uden at være blevet spurgt {times}; spørg først ("Vil du høre et '
        'forslag?").',
        "once": "én gang",
        "times": "{n} gange",
        "talk": "Du sagde {value} af ordene; {hint}",
        "talk_high": "i coaching er det som regel den anden, der taler mest.",
        "talk_ok": "den anden havde mindst halvdelen af ordene.",
        "below fair": "under MITI-niveauet 'rimeligt'",
        "fair": "på MITI-niveauet 'rimeligt'",
        "good": "på MITI-niveauet 'godt'",
    },
}
