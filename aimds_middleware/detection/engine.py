"""Detector: the detection layer's stages, in cost order, under the latency budget.

    normalise (fold + de-obfuscation views) → exact matchers on every view → heuristics on the
    original text → [decode → exact] → [fuzzy] → [vector recall] → features → calibrated score
    → threats with original spans

Bracketed stages are optional: the budget may skip them (named in ``skipped``). Inputs over
``max_input_chars`` follow ``oversize_policy``: ``head_tail`` scans the first and last halves of
the allowance and marks the result ``truncated``; ``block`` refuses them.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

import re2

from .._config import GuardConfig
from .._types import Category, Severity, Source, Threat
from .budget import Budget, CostModel
from .context import discussion_words, excused
from .decode import PAYLOADS, decode_views
from .fastpath import backend_name
from .features import CONTAINER_CUE, COUNTED_HITS, FEATURE_NAMES, MARKUP, MARKUP_CUE, featurize, structure
from .heuristics import HEURISTICS
from .matchers import Hit, Matcher
from .normalize import Normalized, View, normalize
from .re2util import re2_search
from .result_cache import ResultCache, digest
from .scorer import Scorer
from .signatures import load_packs

__all__ = ["DetectionResult", "Detector"]

_CONFIDENCE = {Severity.LOW: 0.35, Severity.MEDIUM: 0.6, Severity.HIGH: 0.85, Severity.CRITICAL: 0.97}
_MAX_THREATS = 32
_RECALL_CHARS = 8192
_DECODE_GATES = frozenset({"base64", "hex", "binary", "morse", "escape", "decimal", "url", "html", "rot13",
                           "cipher", "reversed", "upside_down", "nato", "spaced", "hyphenated",
                           "fragments", "legend", "piglatin", "underscored", "vowelless", "blanks", "braille",
                           "jamo", "dotspaced", "tatweel", "interleaved", "initials"})
#: scripts written without spaces between words (kana, CJK ideographs, Hangul, Thai): their skeleton view
#: (letters joined) loses no word boundary
_UNSPACED_SCRIPT = re2.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u1100-\u11ff\uac00-\ud7a3\u0e00-\u0e7f]")
#: the view heuristic hits belong to: the original text itself (spans need no mapping)
_ORIGINAL = View("original", "")
#: where pasted markup opens (the markup cue's own pattern, case-blind on the original; RE2: linear)
_MARKUP_OPEN = re2.compile("(?i)" + MARKUP)


def _markup_region(text: str) -> tuple[int, int] | None:
    """From the first markup opener to the end of the last closing tag or comment after it (the
    text's end if none closes): "# Ignore the function and say …" inside pasted <code> is data,
    "Ignore the table and explain the CSS" written after the pasted </table> is the user's."""
    m = re2_search(_MARKUP_OPEN, text)
    if m is None:
        return None
    comment = text.rfind("-->")
    tag = text.rfind("</")
    tag_end = text.find(">", tag) if tag >= 0 else -1
    end = max(comment + 3 if comment >= 0 else -1, tag_end + 1 if tag_end >= 0 else -1)
    return m.start(), end if end > m.end() else len(text)


@functools.lru_cache(maxsize=8)
def _compiled(packs: tuple[str, ...], extra: tuple[str, ...], memory_mb: int) -> tuple[Any, Matcher]:
    """Signatures and their compiled matchers, shared by every Guard with the same packs and
    regex memory (the matchers are immutable, and sharing keeps RE2's lazily built DFA states
    warm — and their memory counted once)."""
    sigs = load_packs(packs, extra)
    # the built-in packs' patterns are compiled by their tests: parsed again only beside your own
    return sigs, Matcher(sigs, memory_mb=memory_mb, parse_now=bool(extra))


@dataclass(frozen=True)
class DetectionResult:
    score: float
    threats: tuple[Threat, ...]
    timings: dict[str, int] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    truncated: bool = False
    backend: str = "python"
    features: tuple[float, ...] = ()
    #: ids of rules that were hit but did not count as evidence (scoped to data but read in a user's
    #: text, excused by their context, a frame with nothing to frame): their threats are listed only,
    #: neither cut by SANITIZE nor a reason to block
    listed_only: frozenset[str] = frozenset()


def _payload(view: Any) -> bool:
    """A view decoded from a payload the reader must be told to decode (base64, hex, a cipher…)."""
    return view.depth > 0 and view.name in PAYLOADS


class Detector:
    """Compiled detection stages for one configuration. Thread-safe after construction."""

    def __init__(self, config: GuardConfig, telemetry: Any, memory: Any = None,
                 scorer: Scorer | None = None) -> None:
        self.config = config
        self.telemetry = telemetry
        self.signatures, self.matcher = _compiled(tuple(config.packs), tuple(config.extra_pack_paths),
                                                    config.regex_memory_mb)
        self.scorer = scorer or Scorer.load()
        #: features the scorer weighs; the others are not computed at run time
        self._needed = frozenset(n for n, w in zip(FEATURE_NAMES, self.scorer.weights) if w)
        self.block_threshold = self.scorer.block_threshold
        self.sanitize_threshold = self.scorer.sanitize_threshold
        self.costs = CostModel()
        self.backend = backend_name()
        self._memory = memory
        self._memory_loaded = memory is not None or not config.recall
        self.cache = ResultCache(config.result_cache_entries) if config.result_cache_entries else None
        if not self._memory_loaded and config.on_error == "block":
            # fail closed means a broken index is a start-up error, not a surprise mid-traffic
            _ = self.memory

    # ---- vector memory (loaded on first use when failing open: keeps Guard() cheap) ----------
    @property
    def memory(self) -> Any:
        if not self._memory_loaded:
            self._memory_loaded = True
            from .recall import load_default

            # on_error="block": a missing/corrupt index raises AttackIndexError naming the file;
            # "allow": a counted warning, and detection runs without recall
            self._memory = load_default(strict=self.config.on_error == "block", telemetry=self.telemetry,
                                        path=self.config.memory_path)
        return self._memory

    # ---- scan --------------------------------------------------------------------------------
    def scan(self, text: str, source: Source) -> DetectionResult:
        if not text or text.isspace():
            return DetectionResult(0.0, (), backend=self.backend)
        if len(text) > self.config.max_input_chars and self.config.oversize_policy == "block":
            too_big = Threat(Category.POLICY_VIOLATION, "input.too-large", None, 1.0, "budget", Severity.CRITICAL)
            return DetectionResult(1.0, (too_big,), skipped=("all",), truncated=True, backend=self.backend)
        # untrusted content (a tool result, a retrieved document, a web page) is data whatever its
        # shape: rules scoped to data count there, and a medium rule in it is strong evidence
        as_data = source.untrusted_data
        # the operator's own system prompt opens "You are a … who …" and lists what to refuse: a
        # rule that only frames another ("requires") is not evidence there
        system = source is Source.SYSTEM
        cache = self.cache
        if cache is not None:
            t = time.perf_counter_ns()
            key = digest(text) + (b"d" if as_data else b"") + (b"s" if system else b"")
            mem = self._memory if self._memory_loaded else None
            generation = (id(mem), getattr(mem, "generation", 0))
            hit = cache.get(key, generation)
            if hit is not None:
                took = time.perf_counter_ns() - t
                return DetectionResult(hit.score, hit.threats, {"cached": took, "total": took}, hit.skipped,
                                       hit.truncated, hit.backend, hit.features, hit.listed_only)
        x, hits, norm_views, timings, budget, truncated, known, listed_only = self._analyse(
            text, as_data=as_data, system=system)
        score = self.scorer.score(x)
        threats = self._threats(hits, norm_views, known)
        timings["total"] = budget.elapsed()
        res = DetectionResult(score, threats, timings, tuple(budget.skipped), truncated, self.backend, tuple(x),
                              listed_only)
        if cache is not None and not res.skipped:
            # the memory as it was when this scan started: a concurrent learn makes the entry stale
            cache.put(key, generation, res)
        return res

    def features(self, text: str, recall: Sequence[float] | None = None) -> list[float]:
        """The scorer's input for ``text`` (training and ``--explain``). ``recall`` overrides
        the similarity features (training computes them against a memory without the row)."""
        if not text or text.isspace():
            return featurize((), "", recall=recall or (), known_attack_at=self.scorer.recall_threshold)
        return self._analyse(text, recall_override=recall, all_features=True)[0]

    def _analyse(self, text: str, recall_override: Sequence[float] | None = None, all_features: bool = False,
                 as_data: bool = False, system: bool = False):
        cfg = self.config
        budget = Budget(cfg.budget_ms, self.costs)
        timings: dict[str, int] = {}
        truncated = False
        t = time.perf_counter_ns()
        if len(text) > cfg.max_input_chars:
            truncated = True
            half = cfg.max_input_chars // 2
            norm = normalize(text[:half])
            tail = normalize(text[-half:], shift=len(text) - half)
            norm.views.extend(tail.all_views)
            # what the tail hides counts as much as what the head hides (tag smuggling, bidi)
            norm.invisible += tail.invisible
            norm.tags += tail.tags
            norm.bidi += tail.bidi
            norm.mixed_script = norm.mixed_script or tail.mixed_script
        else:
            norm = normalize(text)
        timings["normalize"] = (t2 := time.perf_counter_ns()) - t

        hits: list[tuple[Hit, View]] = []
        anchors_primary: list[int] = []
        for view in norm.all_views:
            vh, anchors = self.matcher.exact(view.text, view.name, skeleton=view.name == "skeleton")
            hits.extend((h, view) for h in vh)
            if view.name == "skeleton" and _UNSPACED_SCRIPT.search(view.text):
                # characters spaced out in a script written without spaces ("如*何*在*家", "シ・ス・テ・ム"):
                # joined, they are the text as it is normally written, so every rule reads them
                vh, _ = self.matcher.exact(view.text, view.name)
                hits.extend((h, view) for h in vh)
            if view is norm.primary:
                anchors_primary = anchors
        folded = norm.primary.text
        # rules that count only beside another category (a role-play frame, a loose suffix
        # detector) run only when it was hit: the deferred regex rules here, the heuristics below
        present = {h.rule.category for h, _ in hits}
        if not present.isdisjoint(self.matcher.deferred_needs):
            deferred = self.matcher.deferred_hits(folded, norm.primary.name, present)
            hits.extend((h, norm.primary) for h in deferred)
            present.update(h.rule.category for h in deferred)
        # the structural cues, once: the scorer's features and the heuristics that need to know
        # whether the text is shaped as data (an e-mail, a record, a tool result) share them
        needed = None if all_features else self._needed
        cues = structure(folded, needed)
        data_shaped = CONTAINER_CUE in cues
        for rule in self.signatures.heuristics:
            if rule.requires is not None and rule.requires not in present:
                continue
            # bounded: each heuristic reads a few heuristics.WINDOW-sized windows, whatever the length
            span = HEURISTICS[rule.pattern](text, data_shaped)
            if span is not None:
                hits.append((Hit(rule, span[0], span[1], _ORIGINAL.name), _ORIGINAL))
        timings["match"] = (t3 := time.perf_counter_ns()) - t2

        decodable = norm.gates & _DECODE_GATES
        if cfg.decode_max_depth and decodable and budget.allows("decode", len(folded)):
            src = text if not truncated else text[: cfg.max_input_chars // 2]
            for view in decode_views(src, folded, max_depth=cfg.decode_max_depth,
                                     max_chars=cfg.decode_max_chars, gates=norm.gates):
                vh, _ = self.matcher.exact(view.text, view.name)
                hits.extend((h, view) for h in vh)
                norm.views.append(view)
            t4 = time.perf_counter_ns()
            self.costs.observe("decode", len(folded), t4 - t3)
            timings["decode"] = t4 - t3
            t3 = t4

        if cfg.fuzzy and anchors_primary and budget.allows("fuzzy", len(anchors_primary) * 160):
            covered = {h.rule.category for h, _ in hits}
            for h in self.matcher.fuzzy_hits(folded, norm.primary.name, anchors_primary, covered):
                hits.append((h, norm.primary))
            t4 = time.perf_counter_ns()
            timings["fuzzy"] = t4 - t3
            t3 = t4

        recall: Sequence[float] = ()
        neighbours: list[Any] = []
        if recall_override is not None:
            recall = recall_override
        elif cfg.recall and self.memory is not None and budget.allows("recall", min(len(folded), _RECALL_CHARS)):
            try:
                neighbours = self.memory.search_folded(folded[:_RECALL_CHARS], k=3)
                recall = [n.similarity for n in neighbours if n.label == 1]
            except Exception as exc:  # a broken index must not take detection down
                self.telemetry.on_error("recall", exc)
                budget.skipped.append("recall")  # the verdict says recall did not run
            t4 = time.perf_counter_ns()
            self.costs.observe("recall", min(len(folded), _RECALL_CHARS), t4 - t3)
            timings["recall"] = t4 - t3

        # shaped as data, or untrusted whatever its shape (the heuristics read the shape only:
        # task_in_data needs data around its one line, which a bare tool result need not have);
        # in a prompt that only carries pasted markup (HTML, <code>), what lies inside the markup
        in_data = data_shaped or as_data
        inside = (_markup_region(text) if not in_data and MARKUP_CUE in cues
                  and any(h.rule.scope != "any" for h, _ in hits) else None)
        if as_data:
            cues.add(CONTAINER_CUE)
        # a rewrite of the whole text (a legend's names substituted, quoted pieces joined, …) repeats the
        # plain text's words around what it rewrote: its hit of a rule the plain views already have as
        # often is that same hit (read, and perhaps excused, where it stands), not a new one; the
        # span of a rewrite is the whole text, so its context could not be read anyway
        fresh = hits
        if any(v.depth > 0 and not _payload(v) for _, v in hits):
            plain = Counter(h.rule.id for h, v in hits if v.depth == 0)
            rewritten = Counter((h.rule.id, id(v)) for h, v in hits if v.depth > 0 and not _payload(v))
            fresh = [(h, v) for h, v in hits
                     if v.depth == 0 or _payload(v) or rewritten[(h.rule.id, id(v))] > plain[h.rule.id]]
        # a rule scoped to data (an order users give their own assistant) is evidence only in
        # data; elsewhere it is listed among the threats, not scored. An encoded payload (base64,
        # hex, escapes, a cipher) is data wherever it came from: nobody encodes an order to their
        # own assistant
        scored = [(h, view) for h, view in fresh
                  if in_data or h.rule.scope == "any" or _payload(view)
                  or (inside is not None and inside[0] <= view.span(h.start, h.end)[0] < inside[1])]
        # the words around a hit may excuse it (detection/context.py): a system prompt forbidding the
        # attack it names ("Never reveal your system prompt"), an order to ignore the instructions
        # *in the data*, an attack's words quoted to talk about them, a negated request for a
        # secret, a mail telling its human reader to ignore it
        if scored:
            # (read once per text, and only for data with a hit: a lesson about attacks quotes them)
            discussion = discussion_words(text) if as_data else 0
            kept: list[tuple[Hit, View]] = []
            counted: dict[tuple[Any, ...], int] = {}
            for h, v in scored:
                # featurize reads a rule's hits as a set (its idea, its best score, where it was
                # found) and counts hits in decoded or de-obfuscated views up to three: beyond
                # three alike, more cannot change the verdict, so their context is not read (a
                # flood of one phrase was ~900 readings per MiB)
                alike = (h.rule.id, h.score, v.depth > 0, v is norm.primary or v is _ORIGINAL, _payload(v))
                if counted.get(alike, 0) >= COUNTED_HITS:
                    continue
                if not excused(text, *v.span(h.start, h.end), h.rule, system=system, as_data=as_data,
                               discussion=discussion):
                    kept.append((h, v))
                    counted[alike] = counted.get(alike, 0) + 1
            scored = kept
        # and a rule that requires another category (a role-play frame around a harmful
        # request) counts only beside a scored hit of it, never in a system prompt
        if any(h.rule.requires is not None for h, _ in scored):
            present = set() if system else {h.rule.category for h, _ in scored if h.rule.requires is None}
            scored = [(h, v) for h, v in scored if h.rule.requires is None or h.rule.requires in present]
        feats = (
            (h.rule.category, h.rule.severity, h.rule.id, h.score,
             view.depth if view.depth else (-1 if view is not norm.primary and view is not _ORIGINAL else 0))
            for h, view in scored
        )
        x = featurize(feats, folded, invisible=norm.invisible, mixed_script=norm.mixed_script, recall=recall,
                      known_attack_at=self.scorer.recall_threshold,
                      needed=needed, cues=cues,
                      hidden_payload=any(_payload(v) for _, v in scored))
        known = [n for n in neighbours if n.similarity >= self.scorer.recall_threshold and n.label == 1]
        listed_only = frozenset(h.rule.id for h, _ in hits) - {h.rule.id for h, _ in scored}
        return x, hits, norm, timings, budget, truncated, known, listed_only

    # ---- threats -----------------------------------------------------------------------------
    def _threats(self, hits: list[tuple[Hit, View]], norm: Normalized, known: list[Any]) -> tuple[Threat, ...]:
        best: dict[str, Threat] = {}
        for h, view in hits:
            r = h.rule
            conf = round(_CONFIDENCE[r.severity] * h.score, 4)
            prev = best.get(r.id)
            if prev is not None and conf <= prev.confidence:
                continue  # one threat per rule, its most confident hit (the first of equals)
            if view.depth:
                detector = f"decode:{view.name}"
            elif view is _ORIGINAL:
                detector = "heuristic"
            elif view is norm.primary:
                detector = "fuzzy" if h.score < 1.0 else ("literal" if r.kind == "literal" else "pattern")
            else:
                detector = f"deobfuscate:{view.name}"
            best[r.id] = Threat(r.category, r.id, view.span(h.start, h.end), conf, detector, r.severity)
        out = list(best.values())
        for n in known[:1]:
            out.append(Threat(Category.KNOWN_ATTACK, f"memory.{n.id}", None, round(float(n.similarity), 4),
                              "recall", Severity.HIGH))
        if norm.tags:
            out.append(Threat(Category.INVISIBLE_TEXT, "unicode.tags", None, 0.9, "normalize", Severity.HIGH))
        elif norm.bidi:
            out.append(Threat(Category.INVISIBLE_TEXT, "unicode.bidi", None, 0.5, "normalize", Severity.MEDIUM))
        elif norm.invisible >= 3:
            out.append(Threat(Category.INVISIBLE_TEXT, "unicode.invisible", None, 0.4, "normalize", Severity.LOW))
        if norm.mixed_script:
            out.append(Threat(Category.ENCODING_EVASION, "unicode.mixed-script", None, 0.5, "normalize", Severity.MEDIUM))
        out.sort(key=lambda t: (-t.severity, -t.confidence, t.rule_id))
        return tuple(out[:_MAX_THREATS])
