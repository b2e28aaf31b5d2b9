"""Signature packs: load, validate and describe the rule files in ``aimds_middleware/data/packs``.

A pack is one JSON file per attack family::

    {"pack": "override", "version": "2026.11.0", "licence": "Apache-2.0", "provenance": "...",
     "rules": [{"id": "override.en.ignore-previous", "category": "instruction_override",
                "severity": "high", "lang": "en", "kind": "regex", "pattern": "...",
                "examples": ["..."], "counter_examples": ["..."]}]}

Rules run on the *folded view* of a text (``normalize.fold_text``: NFKC, casefold, marks removed,
invisible characters removed, whitespace collapsed). Four kinds:

``literal``    a phrase, stored folded; matches whole-word on the folded view.
``regex``      RE2 syntax (linear time: no backreferences, no lookaround), written for folded text.
``fuzzy``      a phrase of at least four words compared with rapidfuzz ``partial_ratio``;
               ``threshold`` 0-100 (default 88).
``heuristic``  ``pattern`` names a detector in :mod:`.heuristics` (a shape no regex expresses,
               such as adversarial-suffix noise); the engine runs it on the original text,
               whose line structure folding would erase.

A pack may also define ``fragments``: named regex pieces its rules share, written in a rule's
pattern as ``(?&name)`` (PCRE's subroutine syntax, which RE2 rejects, so the two never mix up) and
replaced by ``(?:piece)`` at load time. The request prefix the harmful rules open with ("how to",
"can you", "a post that promotes" …) is one such piece, once copied into thirteen rules. A fragment
holds no reference itself, every one must be used, and :data:`MAX_PATTERN_CHARS` bounds what is
written (a fragment, a rule) while :data:`MAX_EXPANDED_CHARS` bounds what RE2 compiles.

Optional rule keys: ``note`` (why the rule is shaped as it is), ``threshold`` (fuzzy only) and
``scope``: ``"any"`` (default) or ``"data"`` — a rule whose words are an order users give their own
assistant every day ("include a joke in your answer", "forward the contract to maria@…") is
evidence only inside data (text shaped as a record, an e-mail or a tool result, or any untrusted
source); elsewhere its hit is listed among the threats but not scored. And ``requires``: a detection
category — the rule is evidence only beside a scored hit of that category from a rule without
``requires`` (a role-play frame, "Imagine you are a consultant …", is the wrapper of a jailbreak
when a harmful request sits inside it, and an everyday prompt otherwise). The engine runs such a
rule only after a hit of that category (the matcher defers the regex ones), so alone it costs
nothing and is not listed; beside one whose hit is not scored (out of scope, a negated line of a
system prompt) it is listed and not scored.

Every problem in a pack is a :class:`ConfigError` naming the file and the rule id, raised at load
time: a bad pack must never half-load and silently weaken detection. Each rule carries examples it
must match and counter-examples it must not, checked on every load, so a pattern edit that stops
matching what it was written for fails immediately instead of degrading recall unnoticed.

The matching helpers here (:func:`rule_matches`, :meth:`SignatureSet.match`) are the simple
reference implementation used by validation, tests and ``tools/pack_report.py``; the engine compiles
the same rules into one Aho-Corasick automaton and one RE2 set.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2
from rapidfuzz import fuzz

from .._types import Category, Severity
from ..errors import ConfigError
from .disk_cache import cache_dir, read_signed, touch, write_signed
from .heuristics import HEURISTICS

__all__ = [
    "DEFAULT_FUZZY_THRESHOLD",
    "DETECTION_CATEGORIES",
    "DETECTION_FAMILIES",
    "KINDS",
    "MAX_PACK_BYTES",
    "MAX_PATTERN_CHARS",
    "PACKS_DIR",
    "PackInfo",
    "Rule",
    "SignatureSet",
    "builtin_pack_paths",
    "fold",
    "literal_regex",
    "load_packs",
    "rule_matches",
]

PACKS_DIR = Path(__file__).resolve().parent.parent / "data" / "packs"

#: categories a signature may carry, in the scorer's feature order; the others (secret_leak,
#: canary_leak, ...) belong to other stages
DETECTION_FAMILIES: tuple[Category, ...] = (
    Category.INSTRUCTION_OVERRIDE,
    Category.PERSONA_JAILBREAK,
    Category.PROMPT_EXTRACTION,
    Category.DELIMITER_INJECTION,
    Category.TOOL_HIJACK,
    Category.DATA_EXFILTRATION,
    Category.ENCODING_EVASION,
    Category.ADVERSARIAL_SUFFIX,
    Category.HARMFUL_REQUEST,
)
DETECTION_CATEGORIES: frozenset[Category] = frozenset(DETECTION_FAMILIES)
KINDS = ("literal", "regex", "fuzzy", "heuristic")
_SEVERITIES = {"low": Severity.LOW, "medium": Severity.MEDIUM, "high": Severity.HIGH, "critical": Severity.CRITICAL}
#: long patterns are a sign of a pasted attack text rather than a general rule, and cost RE2 memory
MAX_PATTERN_CHARS = 1000
#: a pattern once its fragments are written out (each shared piece is reviewed once, by its name)
MAX_EXPANDED_CHARS = 4000
#: and a pack has at most this many fragments
MAX_FRAGMENTS = 64
MIN_LITERAL_CHARS = 3
DEFAULT_FUZZY_THRESHOLD = 88
_MAX_EXAMPLE_CHARS = 4000
#: a pack file larger than this is refused before parsing (the shipped ones are ~100 KiB)
MAX_PACK_BYTES = 8 << 20
#: and so is a pack with more rules than this
MAX_RULES_PER_PACK = 5000

_PACK_KEYS = {"pack", "version", "licence", "provenance", "rules"}
_PACK_OPTIONAL_KEYS = {"fragments"}
_FRAGMENT_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: a reference to a fragment in a pattern: ``(?&name)``
_FRAGMENT_REF = re.compile(r"\(\?&([^)]*)\)")
_RULE_REQUIRED = {"id", "category", "severity", "lang", "kind", "pattern", "examples"}
_RULE_KEYS = _RULE_REQUIRED | {"counter_examples", "threshold", "note", "scope", "requires"}
#: where a rule's hit is evidence: anywhere, or only inside text shaped as data (an order a user
#: gives their own assistant every day — "include a joke in your answer", "forward the contract
#: to maria@…" — is the attack when it is planted in a tool result, an e-mail or a record)
SCOPES = ("any", "data")
_ID_RE = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_-]+)+$")
_PACK_NAME_RE = re.compile(r"^[a-z0-9_-]+$")
_VERSION_RE = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
#: ISO 639-1/-3 code, or "any" for language-neutral rules (special tokens, URLs, encodings)
_LANG_RE = re.compile(r"^(?:[a-z]{2,3}|any)$")
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 8 << 20  # a pattern needing more than this is not a signature


# --------------------------------------------------------------------------------------------------
# folding


def _approx_fold(text: str) -> str:
    """Stand-in for ``normalize.fold_text`` while that module does not exist (same contract, fewer
    tricks: no spaced-letter joining)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def _folder() -> Callable[[str], str]:
    try:
        from .normalize import fold_text
    except ImportError:
        return _approx_fold
    return fold_text


def fold(text: str) -> str:
    """The folded view rules are written for (delegates to ``normalize.fold_text``)."""
    return _folder()(text)


def _fold_pattern_text(pattern: str) -> str:
    """What a regex source looks like after folding every part except its escape sequences.

    Like ``fold_text`` there is no recomposition after NFKD: Hangul stays as conjoining jamo.

    Escapes must be kept: casefolding ``\\S`` into ``\\s`` would invert its meaning. A regex equal
    to this is written for the folded view (lowercase, no accents, NFKC).
    """
    parts = re.split(r"(\\.)", pattern)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
        elif part.isascii():  # NFKC/NFKD change no ASCII and it has no combining marks
            out.append(part.lower())
        else:
            p = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", part).casefold())
            # the marks to drop, looked up once per distinct character: a per-character test took
            # two thirds of loading the built-in packs (~150,000 calls for 2,100 patterns)
            marks = {ord(c): None for c in set(p) if unicodedata.combining(c)}
            out.append(p.translate(marks) if marks else p)
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# data types


@dataclass(frozen=True, slots=True)
class Rule:
    """One signature. ``pattern`` of a literal is stored folded; ``threshold`` is set for fuzzy rules."""

    id: str
    category: Category
    severity: Severity
    lang: str
    kind: str
    pattern: str
    pack: str
    threshold: int | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    scope: str = "any"
    #: a category this rule needs beside it to count (see the module docstring), or None
    requires: Category | None = None


@dataclass(frozen=True, slots=True)
class PackInfo:
    """Where a pack came from: name, version, licence, provenance, file path and its sha256."""

    name: str
    version: str
    licence: str
    provenance: str
    path: str
    sha256: str


@dataclass(frozen=True)
class SignatureSet:
    """All loaded rules (pack order, then file order) and the packs they came from."""

    rules: tuple[Rule, ...]
    packs: tuple[PackInfo, ...]

    @functools.cached_property
    def literals(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "literal")

    @functools.cached_property
    def regexes(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "regex")

    @functools.cached_property
    def fuzzy(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "fuzzy")

    @functools.cached_property
    def heuristics(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "heuristic")

    @functools.cached_property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def __len__(self) -> int:
        return len(self.rules)

    def match(self, folded: str, text: str | None = None) -> tuple[Rule, ...]:
        """Rules that fire on an already folded text (reference matcher, not the hot path); give
        the original ``text`` too for heuristics to read it, as the engine does."""
        return tuple(r for r in self.rules if rule_matches(r, folded, text))


# --------------------------------------------------------------------------------------------------
# reference matching


def _spaceless(ch: str) -> bool:
    """Scripts written without spaces between words (CJK, kana, Thai): no word boundary applies."""
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF
        or 0x3400 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0x0E00 <= o <= 0x0E7F
        or 0xFF66 <= o <= 0xFF9F
    )


def literal_regex(folded_literal: str) -> str:
    """RE2 source matching a folded literal whole-word (Unicode letters/digits count as word)."""
    body = re2.escape(folded_literal)
    head = folded_literal[:1]
    tail = folded_literal[-1:]
    if head.isalnum() and not _spaceless(head):
        body = r"(?:^|[^\pL\pN_])" + body
    if tail.isalnum() and not _spaceless(tail):
        body += r"(?:$|[^\pL\pN_])"
    return body


@functools.lru_cache(maxsize=4096)
def _compiled(kind: str, pattern: str) -> Any:
    src = literal_regex(pattern) if kind == "literal" else pattern
    return re2.compile(src, _RE2_OPTIONS)


def rule_matches(rule: Rule, folded: str, text: str | None = None) -> bool:
    """Does ``rule`` fire on ``folded`` (text already passed through :func:`fold`)? A heuristic reads
    ``text``, the original, when it is given, as the engine runs it: line breaks and capitals are
    part of the shapes some heuristics look for."""
    if rule.kind == "fuzzy":
        threshold = rule.threshold if rule.threshold is not None else DEFAULT_FUZZY_THRESHOLD
        return fuzz.partial_ratio(rule.pattern, folded, score_cutoff=threshold) >= threshold
    if rule.kind == "heuristic":
        return HEURISTICS[rule.pattern](folded if text is None else text) is not None
    return _compiled(rule.kind, rule.pattern).search(folded) is not None


# --------------------------------------------------------------------------------------------------
# loading and validation


def _fail(path: Path | str, rule_id: str | None, message: str) -> ConfigError:
    where = f"{path}" if rule_id is None else f"{path} [rule {rule_id}]"
    return ConfigError(f"packs: {where}", message)


def _str_list(value: Any, path: Path, rid: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, rid, f"{key!r} must be a list of non-empty strings")
    if any(len(v) > _MAX_EXAMPLE_CHARS for v in value):
        raise _fail(path, rid, f"{key!r} entries must be at most {_MAX_EXAMPLE_CHARS} characters")
    return tuple(value)


def _parse_fragments(raw: Any, path: Path, deep: bool, check_fold: bool = True) -> dict[str, str]:
    """The pack's named regex pieces (see the module docstring), validated on their own; ``check_fold``
    as in :func:`_parse_rule`."""
    if not isinstance(raw, dict) or not raw:
        raise _fail(path, None, "'fragments' must be a non-empty object of name: regex")
    if len(raw) > MAX_FRAGMENTS:
        raise _fail(path, None, f"{len(raw)} fragments; the limit is {MAX_FRAGMENTS} per pack")
    out: dict[str, str] = {}
    for name, piece in raw.items():
        where = f"fragment {name!r}"
        if not _FRAGMENT_NAME_RE.match(name):
            raise _fail(path, None, f"{where}: a name is lowercase letters, digits and '_' (at most 40)")
        if not isinstance(piece, str) or not piece.strip():
            raise _fail(path, None, f"{where}: must be a non-empty regex string")
        if len(piece) > MAX_PATTERN_CHARS:
            raise _fail(path, None, f"{where}: {len(piece)} characters; the limit is {MAX_PATTERN_CHARS}")
        if _FRAGMENT_REF.search(piece):
            raise _fail(path, None, f"{where}: a fragment cannot refer to another fragment")
        if check_fold and _fold_pattern_text(piece) != piece:
            raise _fail(path, None, f"{where}: not written for the folded view (uppercase, accents or "
                                    "compatibility characters outside escapes)")
        if deep:
            try:
                _compiled("regex", f"(?:{piece})")
            except re2.error as exc:
                raise _fail(path, None, f"{where}: RE2 cannot compile it: {exc}") from None
        out[name] = piece
    return out


def _expand_fragments(pattern: str, fragments: dict[str, str], path: Path, rid: str,
                      used: set[str]) -> str:
    """``pattern`` with every ``(?&name)`` written out as ``(?:piece)``; an unknown name is an error."""

    def piece(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in fragments:
            known = ", ".join(sorted(fragments)) or "none: the pack defines no 'fragments'"
            raise _fail(path, rid, f"unknown fragment (?&{name}) (defined: {known})")
        used.add(name)
        return f"(?:{fragments[name]})"

    expanded = _FRAGMENT_REF.sub(piece, pattern)
    if len(expanded) > MAX_EXPANDED_CHARS:
        raise _fail(path, rid, f"pattern is {len(expanded)} characters with its fragments written out; "
                               f"the limit is {MAX_EXPANDED_CHARS}")
    return expanded


def _parse_rule(raw: Any, pack: str, path: Path, deep: bool = True,
                fragments: dict[str, str] | None = None, used: set[str] | None = None, check_fold: bool = True) -> Rule:
    """Validate one rule. ``deep`` adds the costly checks: RE2 compilation and every example and
    counter-example (about 1 ms per rule, so the shipped packs run them in their tests instead).
    ``check_fold``: test that the pattern is written for the folded view (folding 2,100 patterns to
    compare took ~45 ms of every start, so :func:`_parse_pack` skips it for the shipped packs unless
    ``deep``; your own packs are always checked).
    ``fragments`` are the pack's shared regex pieces; the names a rule uses are added to ``used``."""
    if not isinstance(raw, dict):
        raise _fail(path, None, "every entry of 'rules' must be an object")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID_RE.match(rid):
        raise _fail(path, str(rid), "rule id must look like 'family.lang.name' (lowercase, dots)")
    missing = _RULE_REQUIRED - raw.keys()
    if missing:
        raise _fail(path, rid, f"missing keys: {', '.join(sorted(missing))}")
    unknown = raw.keys() - _RULE_KEYS
    if unknown:
        raise _fail(path, rid, f"unknown keys: {', '.join(sorted(unknown))}")
    try:
        category = Category(raw["category"])
    except ValueError:
        category = None
    if category not in DETECTION_CATEGORIES:
        allowed = ", ".join(sorted(c.value for c in DETECTION_CATEGORIES))
        raise _fail(path, rid, f"unknown category {raw['category']!r} (one of: {allowed})")
    severity = _SEVERITIES.get(raw["severity"]) if isinstance(raw["severity"], str) else None
    if severity is None:
        raise _fail(path, rid, f"unknown severity {raw['severity']!r} (one of: {', '.join(_SEVERITIES)})")
    kind = raw["kind"]
    if kind not in KINDS:
        raise _fail(path, rid, f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")
    lang = raw["lang"]
    if not isinstance(lang, str) or not _LANG_RE.match(lang):
        raise _fail(path, rid, f"lang must be an ISO 639 code or 'any', not {lang!r}")
    pattern = raw["pattern"]
    if not isinstance(pattern, str) or not pattern.strip():
        raise _fail(path, rid, "pattern must be a non-empty string")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise _fail(path, rid, f"pattern is {len(pattern)} characters; the limit is {MAX_PATTERN_CHARS}")
    examples = _str_list(raw["examples"], path, rid, "examples")
    if not examples:
        raise _fail(path, rid, "at least one example is required")
    counter = _str_list(raw.get("counter_examples", []), path, rid, "counter_examples")

    threshold: int | None = None
    if kind == "literal":
        pattern = fold(pattern)
        if len(pattern) < MIN_LITERAL_CHARS:
            raise _fail(path, rid, f"literal folds to {pattern!r}: shorter than {MIN_LITERAL_CHARS} characters")
    elif kind == "fuzzy":
        pattern = fold(pattern)
        if len(pattern.split()) < 4:
            raise _fail(path, rid, "a fuzzy phrase needs at least 4 words (shorter ones match noise)")
        t = raw.get("threshold", DEFAULT_FUZZY_THRESHOLD)
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= 100:
            raise _fail(path, rid, f"threshold must be a number in 0-100, not {t!r}")
        threshold = int(t)
    elif kind == "heuristic":
        if pattern not in HEURISTICS:
            raise _fail(path, rid, f"unknown heuristic {pattern!r} (one of: {', '.join(sorted(HEURISTICS))})")
    else:
        pattern = _expand_fragments(pattern, fragments or {}, path, rid, used if used is not None else set())
        if check_fold and _fold_pattern_text(pattern) != pattern:
            raise _fail(path, rid, "regex is not written for the folded view (uppercase, accents or "
                        "compatibility characters outside escapes)")
    if kind == "regex" and deep:
        try:
            compiled = _compiled("regex", pattern)
        except re2.error as exc:
            raise _fail(path, rid, f"RE2 cannot compile the pattern: {exc}") from None
        if compiled.search("") is not None:
            raise _fail(path, rid, "regex matches the empty string, so it would fire on every text")
    if kind != "fuzzy" and "threshold" in raw:
        raise _fail(path, rid, "'threshold' applies only to fuzzy rules")
    scope = raw.get("scope", "any")
    if scope not in SCOPES:
        raise _fail(path, rid, f"unknown scope {scope!r} (one of: {', '.join(SCOPES)})")

    requires = raw.get("requires")
    if requires is not None:
        try:
            requires = Category(requires)
        except ValueError:
            requires = None
        if requires not in DETECTION_CATEGORIES or requires == category:
            allowed = ", ".join(sorted(c.value for c in DETECTION_CATEGORIES if c != category))
            raise _fail(path, rid, f"'requires' must name another detection category (one of: {allowed}), "
                                   f"not {raw['requires']!r}")

    rule = Rule(rid, category, severity, lang, kind, pattern, pack, threshold, examples, counter, scope, requires)
    if not deep:
        return rule
    for ex in examples:
        if not rule_matches(rule, fold(ex), ex):
            raise _fail(path, rid, f"example does not match: {ex[:120]!r}")
    for ex in counter:
        if rule_matches(rule, fold(ex), ex):
            raise _fail(path, rid, f"counter-example matches: {ex[:120]!r}")
    return rule


def _parse_pack(path: Path, deep: bool = True, shipped: bool = False) -> tuple[PackInfo, tuple[Rule, ...]]:
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise _fail(path, None, f"pack file is {size} bytes; the limit is {MAX_PACK_BYTES}")
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, None, f"cannot read pack: {exc.strerror or exc}") from None
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, None, f"not valid UTF-8 JSON: {exc}") from None
    except RecursionError:
        raise _fail(path, None, "JSON nested too deeply") from None
    if not isinstance(doc, dict):
        raise _fail(path, None, "a pack must be a JSON object")
    missing = _PACK_KEYS - doc.keys()
    if missing:
        raise _fail(path, None, f"missing keys: {', '.join(sorted(missing))}")
    unknown = doc.keys() - _PACK_KEYS - _PACK_OPTIONAL_KEYS
    if unknown:
        raise _fail(path, None, f"unknown keys: {', '.join(sorted(unknown))}")
    name = doc["pack"]
    if not isinstance(name, str) or not _PACK_NAME_RE.match(name):
        raise _fail(path, None, f"pack name must be lowercase letters, digits, '-' or '_', not {name!r}")
    if not isinstance(doc["version"], str) or not _VERSION_RE.match(doc["version"]):
        raise _fail(path, None, f"version must be YYYY.MM.N, not {doc['version']!r}")
    for key in ("licence", "provenance"):
        if not isinstance(doc[key], str) or not doc[key].strip():
            raise _fail(path, None, f"{key!r} must be a non-empty string")
    if not isinstance(doc["rules"], list) or not doc["rules"]:
        raise _fail(path, None, "'rules' must be a non-empty list")
    if len(doc["rules"]) > MAX_RULES_PER_PACK:
        raise _fail(path, None, f"{len(doc['rules'])} rules; the limit is {MAX_RULES_PER_PACK} per pack")
    check_fold = deep or not shipped
    fragments = _parse_fragments(doc["fragments"], path, deep, check_fold) if "fragments" in doc else {}
    used: set[str] = set()
    rules = tuple(_parse_rule(raw, name, path, deep, fragments, used, check_fold) for raw in doc["rules"])
    unused = fragments.keys() - used
    if unused:
        raise _fail(path, None, f"fragments no rule uses: {', '.join(sorted(unused))}")
    info = PackInfo(name, doc["version"], doc["licence"], doc["provenance"], str(path),
                    hashlib.sha256(data).hexdigest())
    return info, rules


def builtin_pack_paths() -> tuple[Path, ...]:
    return tuple(sorted(PACKS_DIR.glob("*.json")))


@functools.lru_cache(maxsize=128)
def _builtin_pack(path: Path, deep: bool) -> tuple[PackInfo, tuple[Rule, ...]]:
    # The shipped files do not change while the process runs: parse each once. Their deep checks
    # (RE2 compile, examples) run in tests/test_packs.py and with validate=True; a plain load does
    # the structural checks only, so Guard() start-up stays in milliseconds.
    return _parse_pack(path, deep, shipped=True)


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(p.glob("*.json"))
            if not found:
                raise _fail(p, None, "directory holds no *.json pack")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise _fail(p, None, "no such pack file or directory")
    return out


def _combine(parsed: Sequence[tuple[PackInfo, tuple[Rule, ...]]]) -> SignatureSet:
    seen_ids: dict[str, str] = {}
    seen_packs: dict[str, str] = {}
    for info, rules in parsed:
        if info.name in seen_packs:
            raise _fail(info.path, None, f"pack name {info.name!r} is also used by {seen_packs[info.name]}")
        seen_packs[info.name] = info.path
        for r in rules:
            if r.id in seen_ids:
                raise _fail(info.path, r.id, f"duplicate rule id (also in {seen_ids[r.id]})")
            seen_ids[r.id] = info.path
    return SignatureSet(
        rules=tuple(r for _, rules in parsed for r in rules),
        packs=tuple(info for info, _ in parsed),
    )


@functools.lru_cache(maxsize=16)
def _load_builtin(names: tuple[str, ...], deep: bool) -> SignatureSet:
    available = {p.stem: p for p in builtin_pack_paths()}
    chosen: list[Path] = []
    for n in names:
        if n == "builtin":
            chosen.extend(available.values())
        elif n in available:
            chosen.append(available[n])
        else:
            raise ConfigError("packs", f"unknown pack {n!r}; built-in packs: builtin, {', '.join(sorted(available))}")
    unique = list(dict.fromkeys(chosen))
    if deep:
        return _combine([_builtin_pack(p, deep) for p in unique])
    cached, path = _read_parsed(unique)
    if cached is not None:
        return cached
    sigs = _combine([_builtin_pack(p, deep) for p in unique])
    _write_parsed(path, sigs)
    return sigs


# The shipped packs parsed, in the user cache (disk_cache.py): parsing ~2,400 rules from JSON was
# ~45 ms of every Guard() start (2026-11: 430 ms in all); reading them back is ~10 ms. Keyed by the
# files' bytes and paths and this module's source, so an edited pack or a new release parses again.
# The form is marshal (plain tuples and strings, which loading never executes) behind a sha256 of
# it, and a file that fails the checksum or does not read back as rules is ignored and rewritten.
_PARSED_FORMAT = 1


def _parsed_key(paths: Sequence[Path]) -> str | None:
    h = hashlib.sha256(f"{_PARSED_FORMAT}\0".encode())
    try:
        h.update(Path(__file__).read_bytes())
        for p in paths:
            h.update(str(p).encode("utf-8", "surrogatepass") + b"\0")
            h.update(p.read_bytes())
    except OSError:
        return None  # _builtin_pack reports the unreadable pack
    return h.hexdigest()[:32]


def _read_parsed(paths: Sequence[Path]) -> tuple[SignatureSet | None, Path | None]:
    key = _parsed_key(paths)
    if key is None:
        return None, None
    path = cache_dir() / f"packs-{key}.marshal"
    try:
        fmt, infos, rows = read_signed(path)  # None (missing or damaged): TypeError
        if fmt != _PARSED_FORMAT:
            return None, path
        cat = {c.value: c for c in Category}
        sev = {int(s): s for s in Severity}
        sigs = SignatureSet(
            rules=tuple(Rule(i, cat[c], sev[s], lang, kind, pat, pack, th, tuple(ex), tuple(cx), scope,
                             None if rq is None else cat[rq])
                        for i, c, s, lang, kind, pat, pack, th, ex, cx, scope, rq in rows),
            packs=tuple(PackInfo(*info) for info in infos))
    except (ValueError, TypeError, KeyError):
        return None, path
    if not sigs.rules or any(not isinstance(r.pattern, str) or not isinstance(r.id, str) for r in sigs.rules):
        return None, path
    touch(path)
    return sigs, path


def _write_parsed(path: Path | None, sigs: SignatureSet) -> None:
    if path is None:
        return
    rows = tuple((r.id, r.category.value, int(r.severity), r.lang, r.kind, r.pattern, r.pack, r.threshold,
                  r.examples, r.counter_examples, r.scope, None if r.requires is None else r.requires.value)
                 for r in sigs.rules)
    infos = tuple((i.name, i.version, i.licence, i.provenance, i.path, i.sha256) for i in sigs.packs)
    write_signed(path, (_PARSED_FORMAT, infos, rows), "packs-*.marshal")


def load_packs(
    names: Sequence[str] = ("builtin",),
    extra_paths: Sequence[str | Path] = (),
    *,
    validate: bool | None = None,
) -> SignatureSet:
    """Load signature packs.

    ``names``: ``"builtin"`` (every JSON file in ``data/packs``, sorted) and/or built-in pack names
    (file stems, e.g. ``"override"``). ``extra_paths``: your own pack files or directories of them,
    re-read on every call and always validated in full (RE2 compilation, examples and
    counter-examples). ``validate=True`` validates the built-in packs in full too (their test suite
    does); by default they get the structural checks only, and the parsed set is cached.
    Raises :class:`ConfigError` naming the file and rule id on any invalid pack, duplicate rule id
    or duplicate pack name.
    """
    if isinstance(names, str):
        names = (names,)
    if isinstance(extra_paths, (str, Path)):
        extra_paths = (extra_paths,)
    deep = bool(validate) or os.environ.get("AIMDS_VALIDATE_PACKS", "") not in ("", "0")
    base = _load_builtin(tuple(names), deep)
    if not extra_paths:
        return base
    parsed = [(info, tuple(r for r in base.rules if r.pack == info.name)) for info in base.packs]
    parsed += [_parse_pack(p, deep=validate is not False) for p in _expand(extra_paths)]
    return _combine(parsed)
