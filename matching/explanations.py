"""A recommendation's explanation in the reader's language.

The rebuild stores each explanation once, in the portal's own language (Chinese), as phrases joined
by "；" (matching.engine.scoring.explain). An English reader gets each phrase read back against
the phrase it was written from and written again in English; reference names (domains, areas,
districts, 三首 kinds) take their English names, and what people wrote (needs, technology fields)
stays as written. A phrase that matches none is shown as stored. Nothing is stored twice, and a
Chinese reader costs nothing.
"""

import re
from functools import lru_cache

from django.core.cache import cache
from django.utils.translation import gettext

from core.messages import reading_english
from matching.engine.scoring import CREDENTIAL_NAMES, explanation_phrases

NAMES_CACHE_KEY = "matching:explanations:english-names"
NAMES_TTL = 60  # seconds: reference names change rarely, and only by an operator's edit
LIST_SEPARATOR = "、"
# The parameters that are reference data (given English names); the rest are people's words.
REFERENCE_PARAMETERS = {"area", "domain", "district", "kind"}
LIST_PARAMETERS = {"gaps", "fields"}


@lru_cache(maxsize=1)
def _raw_phrases() -> tuple[tuple[str, str], ...]:
    return tuple(explanation_phrases().items())


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    """(phrase key, regex with one group per placeholder) for each stored phrase."""
    patterns = []
    for key, phrase in _raw_phrases():
        regex = re.escape(phrase)
        regex = re.sub(r"%\\\((\w+)\\\)d", r"(?P<\1>\\d+)", regex)
        regex = re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", regex)
        if key == "covered":  # 覆盖需求 2/3：车位检测、车牌识别
            regex += "(?:：(?P<needs>.+))?"
        patterns.append((key, re.compile(f"^{regex}$")))
    return patterns


def _english_names() -> dict[str, str]:
    names = cache.get(NAMES_CACHE_KEY)
    if names is None:
        from accounts.models import District
        from capability_list.models import StrategicArea
        from scenarios.models import Domain

        names = {}
        for model in (Domain, StrategicArea, District):
            names.update({name: name_en for name, name_en in model.objects.values_list("name", "name_en") if name_en})
        cache.set(NAMES_CACHE_KEY, names, NAMES_TTL)
    return names


def _english_phrase(key: str, values: dict, names: dict) -> str:
    english = {}
    for name, value in values.items():
        if value is None:
            continue
        if name == "kind":  # a 三首 kind's Chinese name is its label's source text
            english[name] = gettext(value) if value in CREDENTIAL_NAMES.values() else value
        elif name in REFERENCE_PARAMETERS:
            english[name] = names.get(value, value)
        elif name in LIST_PARAMETERS:
            english[name] = ", ".join(value.split(LIST_SEPARATOR))
        elif name in ("covered", "total"):
            english[name] = int(value)
        else:
            english[name] = value
    text = gettext(dict(_raw_phrases())[key]) % {k: v for k, v in english.items() if k != "needs"}
    if values.get("needs"):
        text += ": " + ", ".join(values["needs"].split(LIST_SEPARATOR))
    return text


def explanation_shown(text: str) -> str:
    """The stored explanation as the reader should read it."""
    if not text or not reading_english():
        return text
    names = _english_names()
    pieces = []
    for piece in text.split("；"):
        for key, pattern in _patterns():
            found = pattern.match(piece)
            if found:
                pieces.append(_english_phrase(key, found.groupdict(), names))
                break
        else:
            pieces.append(piece)
    return "; ".join(pieces)
