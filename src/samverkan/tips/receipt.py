"""Receipt codes: how a sender comes back to a tip without saying who they are.

A code is 16 characters from a 31-character alphabet without look-alikes (no 0/O,
1/I/L), shown as four groups of four: about 79 random bits, far beyond guessing even
without the rate limit. Only HMAC-SHA256(code) under a server key is stored, so a copy
of the database alone does not give the codes that open the tips.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS = 4
GROUP_LENGTH = 4
_SEPARATORS = re.compile(r"[\s\-–—_.]+")


def new_code() -> str:
    """A fresh code, e.g. ``K7QX-3MDA-P9TW-HC4E``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, len(chars), GROUP_LENGTH))


def normalise(code: str) -> str | None:
    """The canonical form of what a sender typed (any case, spaces or dashes), or None
    when it cannot be a code. Look-alikes (O, I, L) never occur in codes, so a code with
    them is simply wrong rather than silently changed."""
    cleaned = _SEPARATORS.sub("", code or "").upper()
    if len(cleaned) != GROUPS * GROUP_LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned


def _key() -> bytes:
    secret = getattr(settings, "TIPS_RECEIPT_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(b"samverkan.tips.receipt|" + secret.encode()).digest()


def code_hash(code: str) -> str | None:
    """Keyed hash of a (normalised) code, or None when ``code`` is not a code."""
    canonical = normalise(code)
    if canonical is None:
        return None
    return hmac.new(_key(), canonical.encode(), hashlib.sha256).hexdigest()
