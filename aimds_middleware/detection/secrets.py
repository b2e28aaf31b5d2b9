"""Leak patterns: secrets, PII and data-exfiltration links, found in one linear-time pass.

Used on model output (``Guard.inspect_output`` and the streaming checker) and by the input
sanitiser to defang exfiltration links. Every pattern is RE2 (linear time, no backtracking): one
``re2.Set`` pass says which patterns occur at all — ordinary prose matches none and costs one DFA
scan — and only those patterns are re-run to get spans. Each hit then goes through a cheap Python
validator (Luhn, IBAN mod-97, entropy, URL analysis) so the regexes can stay simple and loose.

Spans index into the caller's text (lone surrogates are replaced one-for-one before RE2 sees the
text, so offsets never shift). Nothing here logs or returns the matched secret itself except as a
span.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable

import re2

from .._types import Category, Severity, Threat
from .re2util import re2_safe

__all__ = ["DEFAULT_COLLECTOR_HOSTS", "LeakScanner", "assess_url", "host_matches", "redact"]

#: hosts whose only purpose is to receive and log requests: any data-carrying link to them is exfil
DEFAULT_COLLECTOR_HOSTS: tuple[str, ...] = (
    "webhook.site", "requestbin.com", "requestbin.net", "requestcatcher.com", "pipedream.net",
    "m.pipedream.net", "ngrok.io", "ngrok-free.app", "ngrok.app", "ngrok.dev", "burpcollaborator.net",
    "oastify.com", "interact.sh", "oast.fun", "oast.pro", "oast.live", "oast.site", "oast.online",
    "oast.me", "canarytokens.com", "beeceptor.com", "hookbin.com", "postb.in", "ptsv2.com", "ptsv3.com",
    "requestrepo.com", "webhook.cool", "trycloudflare.com", "serveo.net", "loca.lt", "localtunnel.me",
    "dnslog.cn", "ceye.io", "mockbin.org", "hookdeck.com", "ssrf.cn", "xss.report",
)

_DETECTOR = {"secret": "secrets", "pii": "pii", "exfil": "links"}
_CATEGORY = {"secret": Category.SECRET_LEAK, "pii": Category.PII, "exfil": Category.DATA_EXFILTRATION}
_SCHEME = r"(?i:https?:)?//"


def entropy(s: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(s)
    if n == 0:
        return 0.0
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def host_matches(host: str, suffixes: Iterable[str]) -> bool:
    """Is ``host`` one of ``suffixes`` or a subdomain of one? O(labels) for a set or frozenset."""
    if not isinstance(suffixes, (set, frozenset)):
        suffixes = set(suffixes)
    if host in suffixes:
        return True
    i = host.find(".")
    while i != -1:
        if host[i + 1:] in suffixes:
            return True
        i = host.find(".", i + 1)
    return False


_PLACEHOLDER_IN_URL = re.compile(r"\{[^{}/]{1,40}\}|\[[A-Za-z_ ]{2,40}\]|<[A-Za-z_ ]{2,40}>|\$[A-Z_]{3,40}")
_B64ISH = re.compile(r"[A-Za-z0-9+/=_\-]+")
_HEX = re.compile(r"[0-9a-fA-F]+")


def _looks_encoded(v: str, min_len: int) -> bool:
    """Base64/hex-looking data: long, one charset, letters and digits, high entropy."""
    if len(v) < min_len:
        return False
    if _HEX.fullmatch(v):
        return len(v) >= max(min_len, 48)  # 40-hex commit ids and 32-hex ids are common and benign
    if not _B64ISH.fullmatch(v):
        return False
    if not (any(c.isdigit() for c in v) and any(c.isalpha() for c in v)):
        return False
    return entropy(v) >= 3.8


def assess_url(url: str, *, auto_load: bool, allow_hosts: Iterable[str] = (),
               collector_hosts: Iterable[str] = DEFAULT_COLLECTOR_HOSTS) -> tuple[str, float] | None:
    """Why this URL looks like an exfiltration channel, and how sure we are; None when benign.

    ``auto_load`` is True for images and other things a renderer fetches without a click: the
    thresholds are lower there because a normal image URL does not need to carry text.
    """
    if url.startswith("//"):
        url = "http:" + url
    try:
        parts = urllib.parse.urlsplit(url[:8192])
        host = (parts.hostname or "").rstrip(".")
    except ValueError:  # malformed authority such as "http://[::1"
        return ("malformed url", 0.6) if auto_load else None
    if not host or host_matches(host, allow_hosts):
        return None
    rest = (parts.path or "") + (parts.query or "")
    if host_matches(host, collector_hosts):
        # the bare host is just a mention; a path or query is a live endpoint
        return ("collector host", 0.95 if auto_load else 0.8) if len(rest) > 1 or auto_load else None
    query = parts.query or ""
    if _PLACEHOLDER_IN_URL.search(urllib.parse.unquote(rest)):
        # "?q={conversation}" / "[DATA]" / "$SECRET": a template the model is asked to fill in
        return ("data placeholder", 0.85 if auto_load else 0.7)
    if len(query) >= (120 if auto_load else 300):
        return ("long query string", 0.85 if auto_load else 0.6)
    min_len = 24 if auto_load else 32
    for part in re.split(r"[&;]", query):
        key, eq, val = part.partition("=")
        val = urllib.parse.unquote_plus(val if eq else key)
        if _looks_encoded(val, min_len):
            return ("encoded query data", 0.9 if auto_load else 0.7)
        if auto_load and len(val) >= 48:
            return ("long query value", 0.8)
    if auto_load:
        for seg in parts.path.split("/"):
            seg = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", urllib.parse.unquote(seg))
            if _looks_encoded(seg, 40):
                return ("encoded path data", 0.8)
            if len(seg) >= 100:  # free text in a path ("/the%20user%20said%20...") is data, not a file name
                return ("long path data", 0.75)
        if any(_looks_encoded(label, 32) for label in host.split(".")):
            return ("encoded host label", 0.8)
    return None


# ---- validators (return the span to report, or None to reject the hit) --------------------
Validator = Callable[["re2._Match", str], "tuple[int, int] | None"]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_brand_ok(d: str) -> bool:
    n = len(d)
    if d[0] == "4":
        return n in (13, 16, 19)
    two, four = int(d[:2]), int(d[:4])
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16
    if two in (34, 37):
        return n == 15
    if d.startswith("6011") or two == 65 or 644 <= int(d[:3]) <= 649:
        return 16 <= n <= 19
    if two == 35 or two == 62:
        return 16 <= n <= 19
    if two in (36, 38) or 300 <= int(d[:3]) <= 305:
        return n == 14
    return False


def _v_card(m, text):
    a, b = m.span()
    # digits of a decimal number ("0.6511772622175621", "12,4111…") are not a card
    if (a >= 2 and text[a - 1] in ".," and text[a - 2].isdigit()) or (
            b + 1 < len(text) and text[b] in ".," and text[b + 1].isdigit()):
        return None
    s = m.group()
    seps = {c for c in s if not c.isdigit()}
    if len(seps) > 1:
        return None
    d = "".join(c for c in s if c.isdigit())
    if not 13 <= len(d) <= 19 or len(set(d)) < 2 or not _card_brand_ok(d) or not _luhn_ok(d):
        return None
    return m.span()


# ISO 13616 lengths of the most used IBAN countries (a wrong length is never an IBAN)
_IBAN_LEN = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21,
    "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31,
    "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}


def _v_iban(m, text):
    s = m.group()
    want = _IBAN_LEN.get(s[:2])
    if want is None:
        return None
    chars, end = [], 0
    for i, c in enumerate(s):  # take exactly the country's length, so trailing words don't count
        if c != " ":
            chars.append(c)
            end = i + 1
            if len(chars) == want:
                break
    if len(chars) != want:
        return None
    iban = "".join(chars)
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        return None
    return m.start(), m.start() + end


def _v_ssn(m, text):
    area, group, serial = m.group().split("-")
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return None
    a, b = m.span()
    # part of a longer dashed number (an id, a phone number) is not an SSN
    if (a >= 2 and text[a - 1] == "-" and text[a - 2].isdigit()) or (
            b + 1 < len(text) and text[b] == "-" and text[b + 1].isdigit()):
        return None
    return m.span()


def _v_phone(m, text):
    s = m.group()
    d = "".join(c for c in s if c.isdigit())
    if not 10 <= len(d) <= 15:
        return None
    if not s.startswith("+"):
        seps = {c for c in s if not c.isdigit() and c not in "() "} or {" "}
        if len(seps) > 1 or d[0] in "01" or d[3] in "01":  # NANP: area/exchange never start 0/1
            return None
    return m.span()


_RESERVED_MAIL = frozenset(("example.com", "example.org", "example.net", "example", "test", "invalid", "localhost"))


def _v_email(m, text):
    local, _, domain = m.group().rpartition("@")
    domain = domain.lower()
    if len(local) > 64 or local.lower() in ("git", "noreply", "no-reply") or host_matches(domain, _RESERVED_MAIL):
        return None
    # "xxxx@…" is already masked; "15090.61304@…" is a Message-ID, not a person
    if len(set(local.lower())) == 1 or not any(c.isalpha() for c in local):
        return None
    return m.span()


_PLACEHOLDER = ("your", "example", "sample", "placeholder", "xxxx", "****", "changeme", "dummy", "<", "redacted")


def _v_generic(m, text):
    v = m.group(1)
    if len(v) < 16 or len(v) > 512:
        return None
    low = v.lower()
    if any(p in low for p in _PLACEHOLDER):
        return None
    if not (any(c.isdigit() for c in v) and any(c.isalpha() for c in v)) or entropy(v) < 3.5:
        return None
    return m.span(1)


def _v_url_password(m, text):
    """``scheme://user:password@host``: redact the password only, skip obvious placeholders."""
    pw = m.group(1)
    low = pw.lower()
    if low in ("password", "pass", "passwd", "pwd", "secret") or pw[0] in "<{$*" or set(pw) <= {"*", "x", "X"}:
        return None
    return m.span(1)


def _v_group1(m, text):
    return m.span(1)


def _v_aws(m, text):
    return None if m.group().endswith("EXAMPLE") else m.span()  # AWS's documentation key


# one parse per line: a line either has a colon (header) or not (body), so no backtracking blow-up
_PEM_BODY = re.compile(r"(?:(?:[A-Za-z0-9+/=\t \r]*|[A-Za-z\-]+:[^\n]*)\n)*")
_PEM_LAST = re.compile(r"[A-Za-z0-9+/=\t \r]*")


def _v_private_key(m, text, ends: list[int]):
    a, b = m.span()
    limit = min(len(text), b + 16384)
    # ``ends`` holds every "-----END " position, found once per scan: a find() per BEGIN would
    # cost 16 KiB each on a text made of BEGIN lines
    k = bisect.bisect_left(ends, b)
    end = ends[k] if k < len(ends) and ends[k] < limit else -1
    if end != -1:
        close = text.find("-----", end + 9, min(limit, end + 80))
        if close != -1:
            return a, close + 5
    # no END marker (yet): extend over the base64 body (and "Proc-Type:" header) lines; a last
    # unterminated line counts only at the very end of the text (a stream cut mid-line)
    pos = _PEM_BODY.match(text, b, limit).end()
    last = _PEM_LAST.match(text, pos, limit).end()
    if last == len(text):
        return a, last, "open"  # the body may go on past the end of what we have
    return a, pos


def _positions(text: str, needle: str) -> list[int]:
    out = []
    i = text.find(needle)
    while i != -1:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


# name, kind, RE2 pattern, confidence, severity, validator
_SECRETS: list[tuple[str, str, str, float, Severity, Validator | None]] = [
    ("private_key", "secret", r"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----", 0.99,
     Severity.CRITICAL, None),  # validator bound per scan (see LeakScanner.scan)
    ("aws_access_key", "secret",
     r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|A3T[A-Z0-9])[A-Z0-9]{16}\b", 0.95,
     Severity.HIGH, _v_aws),
    ("github_token", "secret", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{60,255})\b", 0.95,
     Severity.HIGH, None),
    ("gitlab_token", "secret", r"\bglpat-[A-Za-z0-9_\-]{20,}", 0.95, Severity.HIGH, None),
    ("slack_token", "secret", r"\bxox[abposr]-(?:[A-Za-z0-9]+-){1,5}[A-Za-z0-9]{6,}", 0.95, Severity.HIGH, None),
    ("slack_webhook", "secret", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{20,}",
     0.95, Severity.HIGH, None),
    ("anthropic_key", "secret", r"\bsk-ant-[A-Za-z0-9]{2,8}\d{0,2}-[A-Za-z0-9_\-]{32,}", 0.97, Severity.HIGH, None),
    ("openai_key", "secret",
     r"\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}|[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}|[A-Za-z0-9]{48}\b)",
     0.95, Severity.HIGH, None),
    ("google_api_key", "secret", r"\bAIza[0-9A-Za-z_\-]{35}", 0.95, Severity.HIGH, None),
    ("google_oauth_secret", "secret", r"\bGOCSPX-[A-Za-z0-9_\-]{28}", 0.95, Severity.HIGH, None),
    ("stripe_key", "secret", r"\b(?:sk|rk)_live_[A-Za-z0-9]{24,}", 0.95, Severity.HIGH, None),
    ("huggingface_token", "secret", r"\bhf_[A-Za-z0-9]{34,40}\b", 0.9, Severity.HIGH, None),
    ("npm_token", "secret", r"\bnpm_[A-Za-z0-9]{36}\b", 0.9, Severity.HIGH, None),
    ("sendgrid_key", "secret", r"\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}\b", 0.95, Severity.HIGH, None),
    ("digitalocean_token", "secret", r"\bdo[por]_v1_[a-f0-9]{64}\b", 0.95, Severity.HIGH, None),
    ("url_credentials", "secret",
     r"\b[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\s:/@\[\]]{1,64}:([^\s@/\[\]]{3,128})@[A-Za-z0-9.\-]+", 0.9,
     Severity.HIGH, _v_url_password),
    ("bearer_token", "secret", r"(?i)\bauthorization\s*[:=]\s*[\"']?bearer\s+([A-Za-z0-9_\-.=~+/]{20,})", 0.9,
     Severity.HIGH, _v_group1),
    ("jwt", "secret", r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}", 0.85,
     Severity.HIGH, None),
    ("generic_assignment", "secret",
     (r"(?i)[a-z0-9_\-]*(?:api_?key|apikey|secret|token|passw(?:or)?d|pwd|access_?key|account_?key|private_?key|credential)"
      r"[a-z0-9_\-]*[\"']?(?:\s*:\s*[a-z_][a-z0-9_\[\]]{0,30})?\s*[:=]>?\s*[\"']?([A-Za-z0-9_\-+/=.~!@#%^&*]{12,})"),
     0.7, Severity.MEDIUM, _v_generic),
]

_PII: list[tuple[str, str, str, float, Severity, Validator | None]] = [
    ("email", "pii", r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}\b", 0.9,
     Severity.MEDIUM, _v_email),
    ("credit_card", "pii", r"\b(?:\d[ \-]?){12,18}\d\b", 0.9, Severity.HIGH, _v_card),
    ("iban", "pii", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", 0.9, Severity.MEDIUM, _v_iban),
    ("ssn", "pii", r"\b\d{3}-\d{2}-\d{4}\b", 0.7, Severity.HIGH, _v_ssn),
    ("phone", "pii",
     (r"(?:\+\d{1,3}[ .\-]?(?:\(\d{1,4}\)[ .\-]?)?\d{1,4}(?:[ .\-]\d{1,4}){1,4}\b|\(\d{3}\) ?\d{3}[\-. ]\d{4}\b"
      r"|\b\d{3}[\-.]\d{3}[\-.]\d{4}\b)"), 0.6, Severity.MEDIUM, _v_phone),
]

# CommonMark allows one line break before the destination; the title must stay on the URL's line
_MD_INLINE = (r"(!?)\[([^\]\n]*)\]\([ \t]*(?:\n[ \t]*)?<?(" + _SCHEME
              + r"[^\s)>]+)>?(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)?")
#: "](url" whose "[" is out of sight (a very long alt text, or cut off by the stream's context)
_MD_TAIL = r"\]\([ \t]*(?:\n[ \t]*)?<?(" + _SCHEME + r"[^\s)>]+)>?\)?"
_MD_REFDEF = r"(?m)^[ \t]{0,3}\[([^\]\n]+)\]:[ \t]*<?(" + _SCHEME + r"[^\s>]+)>?"
_HTML = (r"(?i)<(?:img|image|iframe|frame|script|source|video|audio|embed|object|input|link|body|table|td|svg|use"
         r"|track)\b[^>]*?\b(?:src|href|data|poster|background|srcset|xlink:href)\s*=\s*[\"']?\s*(" + _SCHEME
         + r"[^\"'\s>]+)[^>]*>?")
_CSS_URL = r"(?i)\burl\(\s*[\"']?(" + _SCHEME + r"[^\"'\s)]+)[\"']?\s*\)?"


class LeakScanner:
    """Compiled secret, PII and exfiltration-link patterns for one policy."""

    def __init__(self, *, pii_kinds: Iterable[str] = ("email", "credit_card", "iban", "ssn", "phone"),
                 allow_hosts: Iterable[str] = (), collector_hosts: Iterable[str] = DEFAULT_COLLECTOR_HOSTS,
                 secrets: bool = True, links: bool = True) -> None:
        self.allow_hosts = frozenset(h.lower().strip(".") for h in allow_hosts)
        self.collector_hosts = frozenset(h.lower().strip(".") for h in collector_hosts)
        kinds = set(pii_kinds)
        rules = list(_SECRETS) if secrets else []
        rules += [r for r in _PII if r[0] in kinds]
        if links:
            rules += [
                ("md_inline", "exfil", _MD_INLINE, 0.0, Severity.HIGH, self._v_md_inline),
                ("md_fragment", "exfil", _MD_TAIL, 0.0, Severity.HIGH, self._v_md_fragment),
                ("md_refdef", "exfil", _MD_REFDEF, 0.0, Severity.HIGH, self._v_refdef),
                ("html_tag", "exfil", _HTML, 0.0, Severity.HIGH, self._v_html),
                ("css_url", "exfil", _CSS_URL, 0.0, Severity.HIGH, self._v_html),
            ]
            if self.collector_hosts:
                hosts = "|".join(re2.escape(h) for h in sorted(self.collector_hosts))
                bare = (r"(?i)\b(?:https?:)?//(?:[a-z0-9\-]+\.)*(?:" + hosts
                        + r")(?::\d+)?[/?#][^\s<>\"'()\[\]]*")
                rules.append(("collector_url", "exfil", bare, 0.0, Severity.MEDIUM, self._v_bare))
        self._rules = rules
        self._set = re2.Set.SearchSet()
        self._regexes = []
        for name, _kind, pattern, *_ in rules:
            self._set.Add(pattern)
            self._regexes.append(re2.compile(pattern))
        self._set.Compile()

    def scan(self, text: str) -> list[Threat]:
        """All findings in ``text``, sorted by position.

        Deliberately unlimited: redaction must see every hit, and the work stays linear (one RE2
        pass per matching rule, O(1) validation per hit, every validator bounded).
        """
        text = re2_safe(text)
        hits = self._set.Match(text)
        if not hits:
            return []
        out: list[Threat] = []
        for idx in sorted(hits):
            name, kind, _pattern, conf, sev, validator = self._rules[idx]
            if name == "private_key":
                validator = functools.partial(_v_private_key, ends=_positions(text, "-----END "))
            for m in self._regexes[idx].finditer(text):
                if validator is None:
                    span, c, rule = m.span(), conf, name
                else:
                    res = validator(m, text)
                    if res is None:
                        continue
                    if kind == "exfil":  # link validators also name the rule and confidence
                        span, c, rule = res  # type: ignore[misc]
                    elif len(res) == 3:  # a private key whose body reaches the end of the text
                        span, c, rule = res[:2], conf, "private_key_partial"  # a stream must hold it
                    else:
                        span, c, rule = res, conf, name
                if span[1] <= span[0]:
                    continue
                out.append(Threat(_CATEGORY[kind], f"{kind}.{rule}", span, c, _DETECTOR[kind], sev))
        out.sort(key=lambda t: (t.span[0], -t.span[1]))  # type: ignore[index]
        return out

    # ---- link validators: (span, confidence, rule) or None ----------------------------------
    def _assess(self, url: str, auto_load: bool) -> tuple[str, float] | None:
        return assess_url(url, auto_load=auto_load, allow_hosts=self.allow_hosts,
                          collector_hosts=self.collector_hosts)

    def _v_md_inline(self, m, text):
        image = m.group(1) == "!"
        res = self._assess(m.group(3), image)
        if res is None:
            return None
        return m.span(), res[1], "md_image" if image else "md_link"

    def _v_md_fragment(self, m, text):
        a = m.start()
        lo = max(0, a - 4096)
        nl = text.rfind("\n", lo, a)
        k = text.rfind("[", nl + 1 if nl != -1 else lo, a)
        if k != -1 and "]" not in text[k + 1:a]:
            return None  # a whole markdown construct: md_inline judges it
        # without its opening we cannot tell an image from a link: judge it as an image
        res = self._assess(m.group(1), True)
        return None if res is None else (m.span(), res[1], "md_fragment")

    def _v_refdef(self, m, text):
        # a reference definition can back an image anywhere in the text (even one not yet streamed)
        res = self._assess(m.group(2), True)
        return None if res is None else (m.span(), res[1], "md_ref")

    def _v_html(self, m, text):
        res = self._assess(m.group(1), True)
        return None if res is None else (m.span(), res[1], "html_src")

    def _v_bare(self, m, text):
        res = self._assess(m.group(), False)
        return None if res is None else (m.span(), res[1], "collector_url")


# ---- redaction -------------------------------------------------------------------------------
_ALT = re.compile(r"!?\[([^\]\n]*)\]")
_KEEP_TEXT_MAX = 100
_IMAGE_RULES = ("exfil.md_image", "exfil.html_src", "exfil.css_url")


def _label(rule_id: str) -> str:
    kind, _, name = rule_id.partition(".")
    if kind == "canary":
        return "canary"
    return name.removesuffix("_partial") or kind


def _replacement(rule_id: str, original: str, keep_text: bool) -> str:
    """Inert text for one finding. Link text and image alt text are kept when ``keep_text``."""
    kind = rule_id.partition(".")[0]
    if kind != "exfil":
        return f"[REDACTED:{_label(rule_id)}]"
    shown = ""
    if keep_text and rule_id in ("exfil.md_image", "exfil.md_link"):
        m = _ALT.match(original)
        if m:
            shown = re.sub(r"[\[\]()<>]", "", m.group(1)).strip()[:_KEEP_TEXT_MAX]
    if rule_id in _IMAGE_RULES:
        return f"[image removed: {shown}]" if shown else "[image removed]"
    return f"{shown} [link removed]" if shown else "[link removed]"


def redact(text: str, threats: Iterable[Threat], *, offset: int = 0) -> tuple[str, tuple[str, ...]]:
    """Replace every threat span with inert text; overlapping spans are merged into one.

    Spans are clamped to the text; threats without a span are ignored. Returns the new text and
    human-readable changes ("redacted aws_access_key at 10-30"; ``offset`` is added to the
    positions shown, for a text that is a slice of a longer stream).
    """
    n = len(text)
    spans: list[tuple[int, int, Threat]] = []
    for t in threats:
        if not t.span:
            continue
        a, b = max(0, min(n, t.span[0])), max(0, min(n, t.span[1]))
        if b > a:
            spans.append((a, b, t))
    if not spans:
        return text, ()
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[str] = []
    changes: list[str] = []
    pos = 0
    i = 0
    while i < len(spans):
        a, end, _ = spans[i]
        cluster = [spans[i]]
        i += 1
        while i < len(spans) and spans[i][0] < end:
            cluster.append(spans[i])
            end = max(end, spans[i][1])
            i += 1
        main = max(cluster, key=lambda s: (s[1] - s[0], s[2].severity))
        threat = main[2]
        keep = all(s[2].category is Category.DATA_EXFILTRATION for s in cluster)
        out.append(text[pos:a])
        out.append(_replacement(threat.rule_id, text[a:end], keep))
        pos = end
        if threat.category is Category.DATA_EXFILTRATION:
            what = "image" if threat.rule_id in _IMAGE_RULES else "link"
            changes.append(f"removed exfiltration {what} ({_label(threat.rule_id)}) at {a + offset}-{end + offset}")
        else:
            changes.append(f"redacted {_label(threat.rule_id)} at {a + offset}-{end + offset}")
    out.append(text[pos:])
    return "".join(out), tuple(changes)
