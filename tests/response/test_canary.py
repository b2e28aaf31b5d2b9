"""Canary tokens: creation, registry bounds, and leak detection (verbatim and lightly obfuscated)."""

from __future__ import annotations

import base64
import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimds_middleware import Action, Category, Guard
from aimds_middleware.response.canary import CanaryRegistry
from aimds_middleware.response.output import OutputPolicy


@pytest.fixture()
def guard() -> Guard:
    return Guard()


@pytest.fixture(scope="module")
def shared_guard() -> Guard:
    g = Guard()
    for i in range(60):  # enough live tokens for the automaton path too
        g.canary(session=f"s{i}")
    return g


def test_tokens_are_random_and_well_formed(guard: Guard) -> None:
    tokens = {guard.canary() for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[a-z2-7]{24}", t) for t in tokens)
    with pytest.raises(TypeError):
        guard.canary(session=3)  # type: ignore[arg-type]


def obfuscations(token: str) -> dict[str, str]:
    raw = token.encode()
    wrapped = base64.b64encode(b"The system prompt says: " + raw + b" and more").decode()
    return {
        "verbatim": token,
        "upper": token.upper(),
        "spaced": " ".join(token),
        "zero_width": "\u200b".join(token),
        "dashed": "-".join(token[i:i + 3] for i in range(0, 24, 3)),
        "newlines": "\n".join(token[i:i + 6] for i in range(0, 24, 6)),
        "markdown": "**" + "**`".join(token[i:i + 8] for i in range(0, 24, 8)) + "`",
        "mixed_nonascii": "\u00e9".join(token[i:i + 5] for i in range(0, 24, 5)),
        "base64": base64.b64encode(raw).decode(),
        "base64_offset1": base64.b64encode(b"x" + raw).decode(),
        "base64_offset2": base64.b64encode(b"xy" + raw).decode(),
        "base64_urlsafe": base64.urlsafe_b64encode(b"\xfb\xff" + raw).decode(),
        "base64_wrapped": "\n".join(wrapped[i:i + 20] for i in range(0, len(wrapped), 20)),
        "hex": raw.hex(),
        "hex_upper": raw.hex().upper(),
    }


@pytest.mark.parametrize("kind", list(obfuscations("a" * 24)))
def test_leak_is_detected_and_blocked(guard: Guard, kind: str) -> None:
    token = guard.canary(session="s1")
    leaked = obfuscations(token)[kind]
    text = f"Sure! My instructions contain {leaked} as requested."
    v = guard.inspect_output(text, session="s1")
    assert v.action is Action.BLOCK and v.blocked
    (t,) = [t for t in v.threats if t.category is Category.CANARY_LEAK]
    expected = "canary.base64" if kind.startswith("base64") else "canary.obfuscated"
    assert t.rule_id == ("canary.verbatim" if kind == "verbatim" else expected)
    found = text[t.span[0]:t.span[1]]
    assert len(found) >= 20 and found.replace("\n", "") in leaked.replace("\n", "")


def test_span_covers_the_obfuscated_token_exactly(guard: Guard) -> None:
    token = guard.canary()
    spaced = " ".join(token)
    text = "prefix text " + spaced + " suffix"
    (t,) = guard.inspect_output(text).threats
    assert text[t.span[0]:t.span[1]] == spaced and t.rule_id == "canary.obfuscated"


def test_sessions_are_separate_but_global_canaries_count_everywhere(guard: Guard) -> None:
    mine, other, shared = guard.canary(session="a"), guard.canary(session="b"), guard.canary()
    assert guard.inspect_output(mine, session="a").blocked
    assert not guard.inspect_output(other, session="a").blocked  # b's prompt is not in a's context
    assert guard.inspect_output(shared, session="a").blocked
    assert guard.inspect_output(other).blocked  # no session given: every live canary counts


def test_unregistered_lookalikes_are_allowed(guard: Guard) -> None:
    guard.canary()
    other = CanaryRegistry().new()  # a token this guard never issued
    assert guard.inspect_output(f"id {other}").action is Action.ALLOW
    assert guard.inspect_output("").action is Action.ALLOW


def test_canary_action_can_be_sanitize() -> None:
    g = Guard()
    g.output_policy = OutputPolicy(canary_action="sanitize")
    token = g.canary()
    v = g.inspect_output(f"a {token} b {token.upper()} c")
    assert v.action is Action.SANITIZE
    assert v.sanitized == "a [REDACTED:canary] b [REDACTED:canary] c"


def test_registry_is_bounded_oldest_first() -> None:
    g = Guard()
    g.output_policy = OutputPolicy(max_canaries=5)
    tokens = [g.canary(session=f"s{i}") for i in range(8)]
    assert len(g._output_scanner().canaries) == 5
    assert not g.inspect_output(tokens[0]).blocked  # retired
    assert g.inspect_output(tokens[-1]).blocked


def test_many_tokens_use_one_automaton_pass(guard: Guard) -> None:
    tokens = [guard.canary(session=f"s{i}") for i in range(300)]
    for t in (tokens[0], tokens[150], tokens[-1]):
        assert guard.inspect_output("x " + " ".join(t) + " y").blocked
        assert guard.inspect_output(base64.b64encode(b"zz" + t.encode()).decode()).blocked
    guard.canary()  # registry changed: the automaton is rebuilt
    assert not guard.inspect_output("nothing to see " * 100).blocked


def test_registry_rejects_foreign_tokens() -> None:
    reg = CanaryRegistry()
    for bad in ("short", "A" * 24, "a" * 25, 123):
        with pytest.raises(ValueError):
            reg.add(bad)  # type: ignore[arg-type]


def test_concurrent_creation_and_checks(guard: Guard) -> None:
    # the guard builds its output scanner lazily and (for now) without a lock: build it first, so
    # this test exercises the registry's own thread safety
    guard.canary()
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(30):
                t = guard.canary(session=f"t{i}")
                assert guard.inspect_output(f"{j} {t}", session=f"t{i}").blocked
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors


class CanaryStore:
    """A store back end that implements the optional canary methods (as a shared store would)."""

    def __init__(self) -> None:
        self.data: dict[str, str | None] = {}

    def add_canary(self, token: str, session: str | None) -> None:
        self.data[token] = session

    def canaries(self, session: str | None) -> list[str]:
        return [t for t, s in self.data.items() if session is None or s in (session, None)]


def test_canaries_are_shared_through_the_store() -> None:
    store = CanaryStore()
    replica_a, replica_b = Guard(store=store), Guard(store=store)
    token = replica_a.canary(session="s")
    assert store.data == {token: "s"}
    assert replica_b.inspect_output(f"leak {token}", session="s").blocked
    assert not replica_b.inspect_output(f"leak {token}", session="other").blocked


def test_many_store_only_tokens_use_the_automaton_without_growing_the_registry() -> None:
    store = CanaryStore()
    replica_a, replica_b = Guard(store=store), Guard(store=store)
    tokens = [replica_a.canary(session=f"s{i}") for i in range(60)]
    for t in (tokens[0], tokens[-1]):
        assert replica_b.inspect_output(" ".join(t.upper())).blocked
    assert len(replica_b._output_scanner().canaries) == 0  # b only reads the store


class BrokenStore(CanaryStore):
    def add_canary(self, token: str, session: str | None) -> None:
        raise ConnectionError("down")

    def canaries(self, session: str | None) -> list[str]:
        raise ConnectionError("down")


def test_store_failure_degrades_to_local_registry() -> None:
    g = Guard(store=BrokenStore())
    token = g.canary()
    assert g.inspect_output(token).blocked
    assert g.telemetry.errors.get("canary_store", 0) >= 2


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(), max_size=3000))
def test_random_text_never_matches_and_never_raises(shared_guard: Guard, text: str) -> None:
    v = shared_guard.inspect_output(text)
    assert Category.CANARY_LEAK.value not in v.categories


@pytest.mark.parametrize("offset", [0, 2030, 2040, 2047, 2048, 4090, 9000])
def test_spans_are_exact_across_long_texts(guard: Guard, offset: int) -> None:
    token = guard.canary()
    spaced = " ".join(token)
    filler = "lorem ipsum, dolor sit amet; é\u200b ü " * 400
    text = filler[:offset] + spaced + filler[:3000] + token.upper()
    spans = sorted(t.span for t in guard.inspect_output(text).threats)
    assert spans == [(offset, offset + len(spaced)), (len(text) - 24, len(text))]
