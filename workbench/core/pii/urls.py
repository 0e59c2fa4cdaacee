"""Links that carry a secret: reset/login tokens, signatures, session ids, passwords.

Found from ``://`` (a literal the engine skips to). A link is flagged when a query or fragment
parameter is named like a secret (``token=``, ``sig=``, ``access_token=`` ...) with a value of 6+
characters, when it has user:password@, or when a path segment or value looks random (16+
letters and digits mixed, a UUID, a JWT, a reset code). Plain links
(``https://acme.example/login``) are left alone.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

FROM_SCHEME_SEP = re.compile(rb"://(?<=[A-Za-z]://)[^\s<>\"'`\x00]+")
_SCHEME = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_TRAILING = b".,;:!?)]}*'\""
SECRET_PARAMS = frozenset({
    "token", "access_token", "refresh_token", "id_token", "auth", "auth_token", "authtoken", "key", "apikey",
    "api_key", "code", "sig", "signature", "secret", "client_secret", "password", "pass", "pwd", "session",
    "sessionid", "session_id", "sid", "jwt", "otp", "reset", "reset_token", "t", "hash", "ticket", "nonce",
    "x-amz-signature", "x-amz-credential", "x-amz-security-token", "magic", "login_token", "invite", "oobcode",
})
# A run of 16+ letters and digits (base64/hex codes, JWT parts) or a UUID; slugs such as
# "how-to-reset-your-password-2024" have short runs and stay plain.
_RANDOM = re.compile(r"[A-Za-z0-9]{16,}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _looks_random(value: str) -> bool:
    for m in _RANDOM.finditer(value):
        chunk = m.group(0)
        if sum(c.isdigit() for c in chunk) >= 2 and sum(c.isalpha() for c in chunk) >= 2:
            return True
    return False


def carries_secret(url: str) -> bool:
    rest = url.split("://", 1)[1]
    authority, _, path_etc = rest.partition("/")
    if "@" in authority and ":" in authority.split("@", 1)[0]:
        return True  # https://user:password@host
    path, _, fragment = path_etc.partition("#")
    path, _, query = path.partition("?")
    for params in (query, fragment):
        for name, value in parse_qsl(params, keep_blank_values=True):
            if name.lower() in SECRET_PARAMS and len(value) >= 6:
                return True
            if _looks_random(value):
                return True
    return any(_looks_random(segment) for segment in path.split("/"))


def find_secret_urls(data: bytes) -> list[tuple[int, int]]:
    out = []
    for m in FROM_SCHEME_SEP.finditer(data):
        start = m.start()
        while start > 0 and data[start - 1] in _SCHEME:
            start -= 1
        end = m.end()
        while end > m.start() + 3 and data[end - 1] in _TRAILING:
            if data[end - 1] == 0x29 and data.count(b"(", start, end) >= data.count(b")", start, end):
                break  # a balanced ")" belongs to the link (Wikipedia-style paths)
            end -= 1
        if carries_secret(data[start:end].decode("utf-8", "replace")):
            out.append((start, end))
    return out
