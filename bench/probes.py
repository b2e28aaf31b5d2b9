"""Recall and false positives on the probe sets: fresh attacks and everyday texts written for this
project, not taken from the dev set or any public corpus.

    .venv/bin/python bench/probes.py [--show attacks|benign]

``bench/data/probe_attacks.jsonl`` holds 300 attacks in eight families (overrides and extraction in
words the rules had not seen, personas, forged delimiters, injections hidden in data, obfuscations,
harmful requests wrapped in fiction or purpose, 16 languages); ``bench/data/probe_benign.jsonl``
holds 400 ordinary user prompts, operator system prompts and data texts (e-mails, docs, logs) in 9
languages that share words with attacks, plus ~250 everyday sentences written as hard negatives.
Injections in data are inspected as ``source="tool"`` and count when not ALLOWed (they are cut);
everything else counts when BLOCKed. Benign texts are inspected as their kind (user, system, tool).

Provenance and caveat: written on 2026-11-27 (Apache-2.0, like the project) *before* the rules of
that release were fitted to them, so the first measurement (28% recall) was of unseen phrasing and
later ones are not: the rules added that day were written against these misses. Read them as a
regression benchmark and a floor on what fresh phrasing finds, not as an estimate of recall.

``--set heldout`` reads ``bench/data/heldout_*.jsonl``: 200 attacks (8 families, 25 languages;
``source`` says which are injections in data) and 200 everyday texts written on 2026-11-27 by
another writer *after* that day's rules were fitted, measured once (45% -> 52% of attacks, 5.0% ->
3.5% of everyday texts not allowed), then, the next session, opened and fitted like the probe set.

``--set heldout2`` reads ``bench/data/heldout2_*.jsonl``: 300 attacks (8 families, 30 languages)
and 300 everyday texts (28 languages) by a third writer who saw neither the packs nor the other
sets; measured once, on 2026-11-27, after the first rules of that session were written (session
start 35% / 8.0% of everyday texts not allowed -> 41% / 8.0%), then opened and fitted the same day.

``--set heldout3`` reads ``bench/data/heldout3_*.jsonl``: 300 attacks (8 families, 37 languages, 293
of them without the words "ignore", "instructions", "system prompt", "jailbreak" or "DAN") and 300
everyday texts (25 languages) by a fourth writer, written while that session's rules were fitted to
the other sets and measured once at its end: session start 28% / 10.7% -> 37% / 9.3%; opened and
fitted the next session (54% / 7.7%).

``--set heldout4`` reads ``bench/data/heldout4_*.jsonl``: 300 attacks (8 families, 45 languages, 296
of them without those words) and 300 everyday texts (28 languages) by a fifth writer, commissioned
before that session's rules were written and measured once after its first batch of rules:
session start 38% / 7.3% -> 44% / 7.7%; then opened and fitted.

``--set heldout5`` (300/300, 54 language codes, sixth writer) was measured once after the second
batch of that session (session start 35% / 9.3% -> 39% / 8.7% after the first batch -> 42% / 6.7%),
then opened and fitted. ``--set heldout6`` (300/300, 45 languages, seventh writer, written while
heldout5 was being fitted) was measured at the end: session start 41% / 9.3% -> 47% / 8.0%
(47% / 7.7% before a last fix that dev jailbreaks called for: "Forget all previous messages" is
no withdrawn mail); opened and fitted the next session.

``--set heldout7`` (300/300, 45 language codes, eighth writer; ``source`` marked afterwards by another
helper who read only that file) was commissioned at the start of the session that fitted heldout6,
measured after its first batch of rules (session start 48% / 5.7% -> 51% / 5.3%) and after the
second (52% / 5.3%), then opened and fitted.

``--set heldout8`` (300/300, 49 language codes, ninth writer, written while heldout7 was fitted) was
measured sealed that same session: session start 46% / 6.7% -> 52% / 6.0% after the second batch and
again after the fourth; then opened and fitted.

``--set heldout9`` (300/300, 70 language codes, tenth writer, written while heldout8 was fitted) was
measured sealed after the fourth batch (session start 37% / 4.3% -> 44% / 3.7%), then opened and
fitted. ``--set heldout10`` (300/300, 56 language codes, eleventh writer, written while heldout9 was
fitted; 31 of its 38 multilingual attacks are one template in different languages, says its writer)
was measured at the end: session start 43% / 6.0% -> 50% / 6.0%; opened and fitted the next session.

``--set heldout11``, ``heldout12`` and ``heldout13`` (300/300 each; 60, 60 and 52 language codes;
twelfth to fourteenth writers, each commissioned while the previous set was fitted) were measured
sealed against that session's start (41949de): heldout11 47% / 8.7% -> 50% / 8.7% (after each of two
batches), then opened and fitted; heldout12 42% / 8.0% -> 44% / 8.3%, then opened and fitted;
heldout13 41% / 7.7% -> 44% / 7.3% after the second and third batches -> 45% / 7.3% after the fourth
(see README); opened and fitted the next session (45% -> 77%).

``--set heldout14`` (300/300, 56 attack / 72 everyday language codes, fifteenth writer; its attack
families include tool_hijack instead of multilingual, and its everyday rows name their channel
"source" and their genre "kind") was commissioned at the start of the session that fitted heldout13
and measured sealed against that session's start (f5f81e6): 48.7% / 6.7% -> 49.0% / 6.7% after the
first batch -> 49.3% after the second; then opened and fitted (86%). ``--set heldout15`` (300/300,
62 / 73 language codes, sixteenth writer, commissioned when heldout14 was opened) was measured
sealed: session start 40.7% / 3.7% -> 44.3% / 3.7% after the third batch -> 46.0% / 3.7% after the
fourth and the fifth (one run of three gave 45.3%: the latency budget skips decoding on a few texts,
and which ones depends on the machine's load); opened and fitted the next session (46% -> 65%).

``--set heldout16`` (300/300, 35 attack / 32 everyday language codes, seventeenth writer, commissioned
at the start of the session that fitted heldout15; everyday rows name their channel "source" and their
genre "kind") was measured sealed against that session's start (ea4284c): 50.3% / 9.7% -> 51.7% / 9.3%
after the first two batches -> 54.0% / 9.7% after the third -> 54.0% after the fourth. The run-to-run
wobble above was mostly a bug of the latency budget's cost model (fixed in that session). Nobody has
read heldout16's misses; it is the estimate of unseen wording until someone does. Opened and fitted the
next session (54% -> 60%).

``--set heldout17`` (300/300, eighteenth writer, commissioned at the start of the session that fitted
heldout16: 8 attack families, 43% of attacks and 35% of everyday texts not in English, attacks with a
"source" (215 typed by a user, 85 inside data) and everyday rows with a "source" and one of ten
"kind"s) was measured sealed against that session's start (55b51fd), aggregates only, after each
batch: 50.0% / 10.3% -> 51.0% / 10.3% -> 51.0% / 10.0% -> 51.3% -> 51.7% / 10.0%. Opened and fitted the
next session (52% -> 64%, everyday not allowed 10.0% -> 9.0%).

``--set heldout18`` (300/300, nineteenth writer, commissioned at the start of the session that fitted
heldout17: 8 attack families, 40% of attacks and 35% of everyday texts not in English, 212 attacks
typed by a user and 88 inside data; everyday rows in ten kinds, among them operators' system prompts
and business operations) was measured sealed against that session's start (6b75877), aggregates only,
after each batch: 39.7% / 9.0% -> 40.0% / 8.0% -> 40.7% -> 41.7%, then 41.7% / 8.0% after each of
the four later batches. Opened and fitted the next session (42% -> 55%, everyday not allowed 8.0%).

``--set heldout19`` (300/300, twentieth writer, commissioned at the start of the session that fitted
heldout18: 8 attack families, 44% of attacks and 38% of everyday texts not in English, 200 attacks
typed by a user and 100 inside data; everyday rows in ten kinds, among them operators' system prompts
and business operations) was measured sealed against that session's start (314e3aa), aggregates
only, after each batch: 55.3% / 11.3% at the start and after every one of the six batches (no
verdict changed). Opened the next session, which fitted no rules (it changed speed only); its override
misses and its security-training false positives were read there.

``--set heldout20`` (300/300, twenty-first writer, commissioned at the start of that session: 8 attack
families, 43% of attacks and 42% of everyday texts not in English, 200 attacks typed by a user and 100
inside data; everyday rows in ten kinds, 143 typed by a user, 127 inside data, 30 operators' system
prompts) was measured sealed against that session's start (fbd3611), aggregates only: 60.0% / 17.7%
at the start and after every batch (no verdict changed: the batches were verdict-neutral by design).
The first line of two of its attack texts was seen by accident while the copied file's format was
checked; nothing was fitted to it. Opened and fitted the next session (60.0% / 17.7% -> 70.0% / 9.0%).

``--set heldout21`` (300/300, twenty-second writer, commissioned at the start of the session that
fitted heldout20: 8 attack families, 43% of attacks and 40% of everyday texts not in English, 201
attacks typed by a user and 99 inside data; everyday rows in ten kinds, 143 typed by a user, 127
inside data, 30 operators' system prompts) was measured sealed against that session's start
(56611d9), aggregates only: 66.3% / 10.7% at the start, 67.0% / 9.7% after the first batch, 67.0% /
9.3% after the second and at the end (2 attacks more caught, 4 everyday texts fewer flagged, no verdict
worse). Its files were copied without being displayed. Opened and fitted the next session (67.0% /
9.3% -> 79.3% / 4.3%).

``--set heldout22`` (300/300, twenty-third writer, commissioned at the start of the session that
fitted heldout21: 8 attack families, 40% of attacks and 40% of everyday texts not in English, 200
attacks typed by a user and 100 inside data; everyday rows in ten kinds, 91 typed by a user, 179
inside data, 30 operators' system prompts) was measured sealed against that session's start
(9dd090f), aggregates only, after each change: 74.0% / 17.7% at the start, 76.3% / 15.7% at the end
(7 attacks more caught, 6 everyday texts fewer flagged, no verdict worse). Its counts were seen after
every change; one change (a list of pretext words that flagged one of its everyday texts) was
narrowed after such a run. Its files were copied without being displayed. Opened and fitted the next
session (76.3% / 15.7% -> 89.0% / 13.3%).

``heldout23`` (300/300, twenty-fourth writer, commissioned at the start of the session that fitted
heldout22: 8 attack families, 43% of attacks not in English, 202 typed by a user and 98 inside data;
everyday rows in ten kinds of 30, 159 inside data, 111 typed by a user, 30 operators' system prompts)
was measured sealed against that session's start (32bcceb), aggregates only: 73.3% / 12.3% at the
start, 74.3% / 12.0% at the end (3 attacks more caught, 1 everyday text fewer flagged, no verdict
worse). Its files lived outside the repository on the machine that measured them and were lost with
it before they were copied here, so there is no ``--set heldout23``: its numbers cannot be rerun.

``--set heldout24`` (300/300, twenty-fifth writer, commissioned in that same session after heldout23 was
lost and written from scratch without access to the project, its data or other sets: 8 attack families
of 37-38, 45% of attacks and 41% of everyday texts not in English, 200 attacks typed by a user and 100
inside data; everyday rows in ten kinds of 30, 114 typed by a user, 156 inside data, 30 operators' system
prompts; Apache-2.0) was copied here without being displayed and measured sealed against that session's
mid-point (89a043f), aggregates only: 67.7% / 4.3%, then 68.3% / 4.3% after the rules written against
the opened sets' shared misses, and 69.0% / 4.3% after overrides written in other alphabets (4 attacks
more caught in all, no verdict worse); opened and fitted the next session (93.7% / 4.3%).

``--set heldout25`` (300/300, twenty-sixth writer, a helper commissioned at the start of the session
that opened heldout24 and written without access to the project, its data or other sets: 8 attack
families of 37-38, 98 attacks inside data, 25 languages; everyday rows in ten kinds of 30, 160 inside
data, 110 typed, 30 system prompts; Apache-2.0) went into ``bench/data`` the moment it existed and was
measured sealed against that session's start (4835175) after every batch of changes, aggregates only:
69.3% / 8.7% -> 71.3% / 8.7% (6 attacks more, no verdict worse). Opened and fitted the next session
(71.3% / 8.7% -> 93.7% / 8.7%).

``--set heldout26`` (300/300, twenty-seventh writer, a helper commissioned in the session that opened
heldout25 and written without access to the project, its data or other sets: 8 attack families of
37-38, 96 attacks inside data, 28 languages; everyday rows in ten kinds of 30, 149 inside data, 121
typed, 30 system prompts; Apache-2.0) went into ``bench/data`` the moment it existed and was measured
sealed at the end of that session against its start (904a194), aggregates only: 72.0% / 3.0% both
times, no verdict changed by anything fitted to heldout25. Opened and fitted the next session (72.0% / 3.0% ->
98.7% / 2.0%).

``--set heldout27`` (300/300, twenty-eighth writer, a helper commissioned at the start of the session that
opened heldout26 and written without access to the project, its data or other sets: 8 attack families of
37-38, 100 attacks inside data, 23 attack languages; everyday rows in ten kinds of 30, 150 inside data, 120
typed, 30 system prompts; 28 languages in all; Apache-2.0) went into ``bench/data`` the moment it existed
(dfdcf6a) and was measured sealed against that session's start (75e27c3) after every batch, aggregates
only: 78.0% / 6.3% -> 79.0% / 6.3% -> 78.7% / 6.3% (a narrowed French extraction rule cost one attack).
Opened and fitted by the next session (after heldout29 was commissioned): 78.7% / 6.3% -> 100% / 4.0%.

``--set heldout28`` (300/300, twenty-ninth writer, a helper commissioned near the end of that same session,
written without access to the project, its data or other sets: 8 attack families of 37-38, 98 attacks inside
data, 25 attack languages; everyday rows in ten kinds of 30, 150 inside data, 120 typed, 30 system prompts; 30
languages in all; Apache-2.0) went into ``bench/data`` unseen (639cb8e) after that session's rules were
written, and was measured once against the session's start (75e27c3) and end, aggregates only: 79.3% / 6.7%
-> 80.7% / 6.3%; again at the start (9082478) and end of the session that opened heldout27: 80.7% / 6.3%
-> 81.0% / 6.0%. Opened and fitted by the thirty-first session (after heldout30 was commissioned): 81.0% / 6.0%
-> 88.0% / 0.7%.

``--set heldout29`` (300/300, thirtieth writer, commissioned at the start of the session that opened heldout27,
written without access to the project, its data or other sets: 8 attack families of 37-38, 100 attacks inside
data, 24 attack languages; everyday rows in ten kinds of 30, 28 languages; Apache-2.0) went into ``bench/data``
unseen (766cbaf). Its writer named the attacks' channel "channel" and put the system prompts in "data" or
"user": the field was renamed "source" and the 30 system prompts marked "system" by a script that read no
text. Measured sealed, aggregates only, at that session's start (9082478) and end: 79.3% / 8.7% -> 80.0% / 7.3%;
again at the start (871ba4f) and end of the session that opened heldout28: 80.0% / 7.3% -> 80.0% / 6.0%. Opened
and fitted by the thirty-second session (after heldout31 was commissioned): 80.0% / 6.0% -> 82.7% / 3.0%.

``--set heldout30`` (300/300, thirty-first writer, commissioned at the start of the session that opened heldout28,
written without access to the project, its data or other sets: 8 attack families of 37-38, 103 attacks inside
data, 21 attack languages, 31 long attacks; everyday rows in ten kinds of 30, 156 inside data, 114 typed, 30
system prompts marked "system", 31 long; 30 languages in all; Apache-2.0) went into ``bench/data`` unseen
(a391223) and was measured sealed, aggregates only, against that session's start (871ba4f) and end: 77.0% / 10.7%
-> 76.7% / 9.0%; again at the start (a23ad7b) and end of the session that opened heldout29: 76.7% / 9.0% -> 76.7%
/ 8.3%. Nobody has read its misses.

``--set heldout31`` (300/300, thirty-second writer, commissioned at the start of the session that opened heldout29,
written without access to the project, its data or other sets: 8 attack families of 37-38, 99 attacks inside
data, 21 attack languages, 30 long attacks; everyday rows in ten kinds of 30, 161 inside data, 109 typed, 30
system prompts marked "system", 31 long; 22 languages; Apache-2.0) went into ``bench/data`` unseen (28a587e) and
was measured sealed, aggregates only, against that session's start (a23ad7b) and end: 80.7% / 9.3% -> 81.0% / 9.0%.
Nobody has read its misses.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aimds_middleware import Action, Guard, GuardConfig  # noqa: E402

DATA = ROOT / "bench" / "data"
SOURCE = {"user": "user", "system": "system", "data": "tool"}


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", choices=("attacks", "benign"), help="list the misses or the false positives")
    # a set is a pair of files NAME_attacks.jsonl / NAME_benign.jsonl: a new one needs no code
    sets = sorted(p.name[: -len("_attacks.jsonl")] for p in DATA.glob("*_attacks.jsonl"))
    ap.add_argument("--set", choices=sets, default="probe",
                    help="the fitted probe sets (default) or the held-out ones")
    args = ap.parse_args(argv)
    guard = Guard(GuardConfig(recall=False))  # the seed memory holds dev attacks, not these

    caught, total = Counter(), Counter()
    for r in _rows(f"{args.set}_attacks.jsonl"):
        data = r.get("source", "data" if r["family"] == "indirect" else "user") == "data"
        v = guard.inspect(r["text"], source="tool" if data else "user")
        ok = v.action is not Action.ALLOW if data else v.action is Action.BLOCK
        key = r["family"]
        total[key] += 1
        caught[key] += ok
        if not ok and args.show == "attacks":
            print(f"MISS {key:16s} {r['lang']} {v.score:.2f} {sorted({t.rule_id for t in v.threats})} | {r['text'][:160]!r}")
    print(f"{'attack family':18s} {'n':>4s} {'caught':>7s}")
    for key in sorted(total):
        print(f"{key:18s} {total[key]:4d} {caught[key] / total[key]:7.2f}")
    print(f"{'all':18s} {sum(total.values()):4d} {sum(caught.values()) / sum(total.values()):7.2f}")

    # not allowed: blocked, or edited (SANITIZE: a cut span, a defanged chat-template token)
    flagged, blocked, seen = Counter(), Counter(), Counter()
    for r in _rows(f"{args.set}_benign.jsonl"):
        # the sets name a text's channel "kind" (user/system/data); heldout14 names it "source"
        # and uses "kind" for the genre (e-mail, log, ...)
        channel = r["source"] if r.get("source") in SOURCE else r["kind"]
        v = guard.inspect(r["text"], source=SOURCE[channel])
        key = (channel, "en" if r["lang"] == "en" else ("mixed" if r["lang"] == "mixed" else "other"))
        seen[key] += 1
        bad = v.action is not Action.ALLOW
        flagged[key] += bad
        blocked[key] += v.action is Action.BLOCK
        if bad and args.show == "benign":
            print(f"FP {channel:6s} {r['lang']:5s} {v.action.value:8s} {sorted({t.rule_id for t in v.threats})} | {r['text'][:160]!r}")
    print(f"\n{'benign kind':18s} {'lang':6s} {'n':>4s} {'not allowed':>12s} {'blocked':>8s}")
    for key in sorted(seen):
        print(f"{key[0]:18s} {key[1]:6s} {seen[key]:4d} {flagged[key] / seen[key]:12.3f} {blocked[key] / seen[key]:8.3f}")
    n = sum(seen.values())
    print(f"{'all':18s} {'':6s} {n:4d} {sum(flagged.values()) / n:12.3f} {sum(blocked.values()) / n:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
