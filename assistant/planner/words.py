"""Words: light stemming and forgiving matches between topic words and question words."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[^\W\d_]+")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _word_list(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_STOPWORDS = {
    "en": _word_set(
        "a an the and or but if of to in on at by for from with about into over after before "
        "as is are was were be been being am do does did done have has had having i me my "
        "mine we us our you your yours he him his she her it its they them their this that "
        "these those there here what which who whom whose how when where why not no so very "
        "can could would should will shall may might must just also than then too more most "
        "some any all each own same other such only one two get got make want need like "
        "really new today session time way thing things something"
    ),
    "da": _word_set(
        "en et den det de der og eller men hvis af til i på ved for fra med om ind over efter "
        "før som er var være været har havde have jeg mig min mit mine vi os vores du dig din "
        "dit dine han ham hans hun hendes den dens det dets de dem deres denne dette disse her "
        "der hvad hvilken hvilket hvilke hvem hvis hvordan hvornår hvor hvorfor ikke nej så "
        "meget kan kunne ville skulle vil skal må måtte bare også end da mere mest nogle noget "
        "nogen alle hver egen samme anden andet andre kun én to få fik gøre gør vil lige helt "
        "rigtig ny nye nyt dag session tid måde ting sig sin sit sine at"
    ),
}
_SUFFIXES = {
    "en": ("ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "ly", "s"),
    "da": _word_list(
        "ationer ationen ation eringer ering inger ingen heder erne ende else ing hed ene "
        "er en et e s"
    ),
}


def stem(word: str, lang: str) -> str:
    """A light stem: strip up to two common suffixes, keeping at least three letters."""
    word = word.lower()
    for _ in range(2):
        for suffix in _SUFFIXES.get(lang, _SUFFIXES["en"]):
            if not word.endswith(suffix) or len(word) - len(suffix) < 3:
                continue
            if suffix == "s" and word.endswith("ss"):
                continue
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
        else:
            break
    return word


def content_words(text: str, lang: str) -> list[str]:
    """The text's lower-case words without stop words or words shorter than three letters."""
    stop = _STOPWORDS.get(lang, _STOPWORDS["en"])
    return [w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in stop]


def _stems(text: str, lang: str) -> list[str]:
    return list(dict.fromkeys(stem(w, lang) for w in content_words(text, lang)))


def _same_word(a: str, b: str) -> bool:
    """Stems match when equal, when one starts the other closely, or as a compound's head."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    common = len(shorter) if longer.startswith(shorter) else _common_prefix(a, b)
    if common >= max(4, math.ceil(0.8 * len(shorter))):
        return True
    # Danish (and some English) compounds end in the word they are about: teammøde, salgsmøde.
    return len(shorter) >= 3 and len(longer) - len(shorter) >= 3 and longer.endswith(shorter)


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _matches(stems: Sequence[str], candidates: Iterable[str]) -> set[str]:
    """The candidate stems matched by any of ``stems``."""
    return {c for c in candidates if any(_same_word(s, c) for s in stems)}
