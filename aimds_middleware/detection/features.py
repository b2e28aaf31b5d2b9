"""Feature vector for the scorer: what the matchers found plus cheap structural cues.

Features are chosen to carry across sources (the hard part of this problem): per attack family,
the strongest and the number of rule hits; fuzzy and vector-recall similarity; and structural
cues that an injection leaves whatever its wording — text that addresses the model and gives it
orders, forged role headers, "Sure, here is" priming, adversarial-suffix noise, invisible or
encoded content. Length is deliberately *not* a feature: in the development data it separates
attacks from benign text by itself and would not transfer.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Iterable, Sequence

import re2

from .._types import Category, Severity
from .heuristics import CONTAINER
from .signatures import DETECTION_FAMILIES

#: what a rule id says beyond its idea: the family and language ("persona.fr."), a multilingual
#: rule's number ("-ml2") and a split rule's part ("….part3")
_NOT_IDEA = re.compile(r"^[^.]+\.[^.]+\.|-ml\d*(?=\.part|$)|\.part\d+$")


@functools.lru_cache(maxsize=8192)  # a rule id's idea never changes; featurize asks once per hit
def _idea(rule_id: str) -> str:
    """The idea a rule stands for: ``persona.es.never-refuses``, ``persona.any.never-refuses-ml3`` and
    ``persona.any.never-refuses-ml.part2`` are one ("nunca se niega" is one claim, whatever number of
    rules know it), as are the parts of a rule split by the lexicon tool."""
    return _NOT_IDEA.sub("", rule_id)


__all__ = ["CONTAINER_CUE", "FEATURE_NAMES", "MARKUP", "MARKUP_CUE", "STRUCTURE", "featurize", "structure", "structure_hits"]

#: pasted markup (HTML, <code>, comments), written for the folded view; the engine also reads it
#: case-blind on the original to find where the markup starts
MARKUP = r"<(?:code|html|table|body|head|div|script|pre)\b|<! ?--|<!doctype"

#: the families a rule can belong to, in feature order (the signature loader's own list)
FAMILIES: tuple[Category, ...] = DETECTION_FAMILIES

#: structural cues (RE2, on the folded view); language-neutral where possible
STRUCTURE: tuple[tuple[str, str], ...] = (
    ("you_directive", r"\byou (?:must|will|shall|should|are going to|are now|have to|need to|can now|will now|are no longer|are free)\b"),
    ("your_role", r"\byour (?:new |only |primary |main )?(?:task|goal|job|role|purpose|mission|objective|instructions|directive)\b"),
    ("from_now_on", r"\bfrom now on\b|\bhenceforth\b|\bfor the rest of (?:this|the|our) conversation\b|\buntil i say\b"),
    ("model_ref", r"\b(?:chatgpt|gpt-?[345]|openai|language model|llm|ai model|ai assistant|claude|anthropic|bard|gemini|llama)\b"),
    ("respond_with", r"\b(?:respond|reply|answer|start|begin|output)(?:ing)? (?:only )?(?:with|by saying|in the format)\b"),
    ("sure_here", r"\bsure,? here (?:is|are)\b|\bsure, i can\b"),
    ("role_header", r"(?:#{2,}|\[|<\|?|\{\")\s?(?:system|assistant|instruction|admin|developer)s?\b"),
    ("shouting", r"\b(?:important|urgent|attention|warning|note)\b ?[!:]{1,}|!!!"),
    ("quoted_persona", r"\b(?:pretend|act|roleplay|role-play|role play|behave|respond) (?:to be|as|like)\b"),
    ("rules_words", r"\b(?:rules|guidelines|policies|restrictions|filters|censorship|limitations|constraints)\b"),
    ("refusal_words", r"\b(?:refuse|decline|apologi[sz]e|warning|disclaimer|moral|ethical|ethics)\b"),
    ("meta_conversation", r"\b(?:previous|above|prior|earlier|initial|original|hidden|secret) (?:instructions|prompt|messages?|text|context|conversation)\b"),
    ("tool_words", r"\b(?:send|forward|email|transfer|upload|post|delete|execute|run|call|invoke)\b.{0,40}\b(?:to|http|@|api|tool|function|command)\b"),
    ("url", r"https?://|www\."),
    ("email_addr", r"[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z]{2,}"),
    # text inside a data container: JSON/dict values, e-mail headers or footers, code fences, table
    # rows, tool observations (one pattern, shared with the task_in_data heuristic)
    ("container", CONTAINER),
    # markup around the text's words: HTML or a code block pasted into the prompt. Not a container
    # for the heuristics (a page's prose is no e-mail), but what is written inside it is data to
    # a data-scoped rule ("ignore the function and say the output is 10" in a code comment)
    ("markup", MARKUP),
    # a sentence that opens with an order (after a sentence end, a quote or a field separator)
    ("imperative", r"(?:^|[.!?:;\"'|>]\s?)(?:please |now |also |then |first,? |immediately )?(?:write|send|forward|provide|retrieve|grant|transfer|delete|schedule|share|append|include|add|insert|click|visit|navigate|download|install|run|execute|reply|respond|answer|tell|give|make|create|generate|translate|summarize|summarise|explain|describe|list|output|print|repeat|reveal|display|show|ignore|disregard|forget|change|update|move|pay|buy|book|post|publish|email|call|contact|recommend|promote|say|use|start|begin|stop|do not|don't|never|always)\b"),
    ("imperative_in_data", r"(?:\{\s?[\"'][a-z_]+[\"']\s?:|\bsubject: |\bcontent: |```|\bobservation: ).*(?:[.!?:;\"'|]\s?)(?:please |now |also |then |first,? |immediately )?(?:write|send|forward|provide|retrieve|grant|transfer|delete|schedule|share|append|include|insert|click|visit|navigate|download|install|execute|reply|respond|answer|tell|give|generate|translate|output|print|repeat|reveal|ignore|disregard|forget|change|update|move|pay|buy|book|post|publish|email|call|contact|recommend|promote|say|use|do not|don't|never|always)\b"),
    ("hypothetical", r"\b(?:hypothetical(?:ly)?|fictional|fiction|imaginary|purely for|not intended to be used|for (?:educational|research|academic) purposes|thought experiment|in a world where|role-?playing game|screenplay|novel)\b"),
    ("you_are_role", r"\byou are (?:a|an|the|now) [a-z]+"),
    ("secrecy", r"\b(?:do not|don't|never|without) (?:tell|telling|inform|informing|mention|mentioning|alert|alerting|notify|notifying|let) (?:the )?(?:user|anyone|them|him|her)\b|\bwithout (?:the )?user'?s? (?:knowing|knowledge|consent|noticing)\b"),
    ("harm_words", r"\b(?:bomb|explosive|weapon|firearm|gun|poison|toxin|meth|cocaine|heroin|fentanyl|drug|malware|ransomware|virus|keylogger|exploit|hack|hacking|phishing|scam|fraud|counterfeit|launder|laundering|steal|theft|kill|murder|suicide|self-harm|terroris[mt]|extremis[mt]|genocide|racist|sexist|slur|harass|stalk|blackmail|extort|bioweapon|nerve agent|disinformation|misinformation|propaganda|smuggl|traffick|illegal|unethical|dangerous)\w*"),
    ("second_person", r"\byou(?:r|rs|rself)?\b.{1,80}\byou(?:r|rs|rself)?\b.{1,80}\byou(?:r|rs|rself)?\b"),
)

#: numeric cues computed in Python
_PUNCT = re.compile(r"[^\w\s]")
_ODD_TOKEN = re.compile(r"\S*[^\w\s]\S*[^\w\s]\S*")

FEATURE_NAMES: tuple[str, ...] = (
    "sev.max",
    "sev.ge_medium",
    "sev.ge_high",
    "rules.total",
    *(f"{c.value}.sev" for c in FAMILIES),
    *(f"{c.value}.n" for c in FAMILIES),
    "families",
    "fuzzy_max",
    "decoded_hits",
    "obfuscated_hits",
    *(f"s.{name}" for name, _ in STRUCTURE),
    "medium_in_data",
    "strong_evidence",
    "punct_tail",
    "odd_tokens_tail",
    "invisible",
    "mixed_script",
    "recall_top1",
    "recall_top3",
)

_SETS: dict[tuple[int, ...], re2.Set] = {}


def structure_hits(folded: str, subset: tuple[int, ...] | None = None) -> list[int]:
    """Indices of the :data:`STRUCTURE` cues present in ``folded`` (only ``subset`` if given:
    the engine asks only for the cues its scorer weighs)."""
    key = tuple(range(len(STRUCTURE))) if subset is None else subset
    if not key:
        return []
    rs = _SETS.get(key)
    if rs is None:
        rs = re2.Set.SearchSet(re2.Options())
        for i in key:
            rs.Add(STRUCTURE[i][1])
        rs.Compile()
        _SETS[key] = rs
    return [key[i] for i in (rs.Match(folded) or ())]


#: index of the "text shaped as data" cue in :data:`STRUCTURE`
CONTAINER_CUE = next(i for i, (name, _) in enumerate(STRUCTURE) if name == "container")
MARKUP_CUE = next(i for i, (name, _) in enumerate(STRUCTURE) if name == "markup")


@functools.lru_cache(maxsize=16)
def _structure_subset(needed: frozenset[str]) -> tuple[int, ...]:
    """Indices of the structural cues among ``needed`` (computed once per scorer, not per text),
    and always the container and markup cues: the engine tells the heuristics and the data-scoped
    rules whether the text is shaped as data, and ``medium_in_data``/``strong_evidence`` read it."""
    return tuple(i for i, (name, _) in enumerate(STRUCTURE)
                 if f"s.{name}" in needed or i in (CONTAINER_CUE, MARKUP_CUE))


def structure(folded: str, needed: frozenset[str] | None = None) -> set[int]:
    """The structural cues of ``folded`` that :func:`featurize` uses for ``needed`` (all of them
    if None), the container cue always: the engine computes this once, tells the heuristics
    whether the text is shaped as data, and hands it to featurize."""
    return set(structure_hits(folded, None if needed is None else _structure_subset(needed)))


#: hits in decoded / de-obfuscated views counted, at most (the engine reads no more than that
#: many alike hits: engine._analyse)
COUNTED_HITS = 3


def featurize(
    hits: Iterable[tuple[Category, Severity, str, float, int]],
    folded: str,
    *,
    invisible: int = 0,
    mixed_script: bool = False,
    recall: Sequence[float] = (),
    known_attack_at: float = 2.0,
    needed: frozenset[str] | None = None,
    cues: set[int] | None = None,
    hidden_payload: bool = False,
) -> list[float]:
    """Feature vector in :data:`FEATURE_NAMES` order.

    ``hits`` yields ``(category, severity, rule_id, score, depth)`` where depth > 0 marks a hit in
    a decoded payload and depth < 0 a hit found only in a de-obfuscated view (leet, homoglyph…).
    ``recall`` holds the similarities of the nearest remembered attacks; from ``known_attack_at``
    on, the nearest one counts as a high-severity rule hit. ``needed`` (feature names) lets the
    engine skip cues its scorer gives no weight; those features are then 0. ``cues`` is
    :func:`structure` already computed for the same ``folded`` and ``needed``. ``hidden_payload``: a
    scored hit lies inside an encoded payload (``decode.PAYLOADS``), which counts as its own frame.
    """
    sev = dict.fromkeys(FAMILIES, 0.0)
    rules: dict[Category, set[str]] = {c: set() for c in FAMILIES}
    fuzzy_max = 0.0
    decoded = obfuscated = 0
    hidden_harm = plain_harm = False
    for cat, severity, rule_id, score, depth in hits:
        if cat not in sev:
            continue
        sev[cat] = max(sev[cat], int(severity) / 4.0 * score)
        # one idea is one piece of evidence: the parts of a rule too long for one pattern, and the
        # rules of one idea in different languages or numbered "-ml2", "-ml3" (_idea)
        rules[cat].add(_idea(rule_id))
        if cat is Category.HARMFUL_REQUEST:
            if depth:
                hidden_harm = True
            else:
                plain_harm = True
        if score < 1.0:
            fuzzy_max = max(fuzzy_max, score)
        if depth > 0:
            decoded += 1
        elif depth < 0:
            obfuscated += 1
    s = cues if cues is not None else structure(folded, needed)
    want_tail = needed is None or "punct_tail" in needed or "odd_tokens_tail" in needed
    punct_tail = odd_tail = 0.0
    if want_tail:
        tail = folded[-400:]
        punct_tail = min(len(_PUNCT.findall(tail)) / max(len(tail), 1) * 4.0, 1.0)
        odd_tail = min(len(_ODD_TOKEN.findall(tail)) / max(len(tail.split()), 1) * 2.0, 1.0)
    top = sorted(recall, reverse=True)[:3]
    top_sev = max(sev.values())
    # a request for harm is one piece of evidence however many harmful rules name it: two of them
    # agreeing ("Do not tell users how to obtain opioids without a prescription") is still a
    # request, not an attack on the model; it counts with a rule of another family (a jailbreak's
    # frame, a persona, a suffix)
    total = sum(min(len(r), 1) if c is Category.HARMFUL_REQUEST else len(r) for c, r in rules.items())
    # ... and a request for harm that is readable only once decoded or de-obfuscated (Caesar, rot13,
    # leetspeak, spaced letters), or any rule's words inside an encoded payload (base64, hex, escapes,
    # a cipher: ``hidden_payload``), carries its own frame: the writer hid it from filters
    # (a request readable as written too, say "toxic gas" in a text whose "LD50" the leetspeak view
    # rewrites, is not hidden: every view repeats the plain text's words)
    if (hidden_harm and not plain_harm) or hidden_payload:
        total += 1
    if top and top[0] >= known_attack_at:  # a near-duplicate of a remembered attack
        top_sev = max(top_sev, 0.75)
        total += 1
    # a rule of at least medium severity in text shaped as data (JSON values, e-mail headers,
    # tables, tool observations): an instruction planted where only data belongs
    medium_in_data = top_sev >= 0.5 and CONTAINER_CUE in s
    return [
        top_sev,
        1.0 if top_sev >= 0.5 else 0.0,
        1.0 if top_sev >= 0.75 else 0.0,
        min(total, 10) / 10.0,
        *(sev[c] for c in FAMILIES),
        *(min(len(rules[c]), 5) / 5.0 for c in FAMILIES),
        sum(1 for c in FAMILIES if rules[c]) / len(FAMILIES),
        fuzzy_max,
        min(decoded, COUNTED_HITS) / COUNTED_HITS,
        min(obfuscated, COUNTED_HITS) / COUNTED_HITS,
        *(1.0 if i in s else 0.0 for i in range(len(STRUCTURE))),
        1.0 if medium_in_data else 0.0,
        # the evidence a reviewer would block on: a high-severity rule, two different rules
        # agreeing, or a medium one planted in data. One indicator, so the scorer can learn
        # "any of these" instead of a count that also grows on jailbreak-flavoured benign prompts
        1.0 if top_sev >= 0.75 or total >= 2 or medium_in_data else 0.0,
        punct_tail,
        odd_tail,
        min(math.log1p(invisible) / 3.0, 1.0),
        1.0 if mixed_script else 0.0,
        top[0] if top else 0.0,
        sum(top) / 3.0 if top else 0.0,
    ]
