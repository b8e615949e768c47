"""Keyed seals on the audit chain (docs/adr/0009-audit-integrity-keys-and-roles.md).

The hash chain (chain.py) shows any change that its writer did not also recompute; a
database role that can rewrite rows can recompute every hash and the head too. A seal is
an HMAC-SHA256 under a key the database never sees (settings.AUDIT_KEYS, from the
environment or a file): without the key, a rewritten entry, a forged head or a forged
checkpoint cannot carry a valid seal.

Each kind of sealed statement has its own domain-separation prefix, so that a seal of
one kind is never valid as another (an entry's seal is not a head's, a head's is not a
checkpoint's). Fields are joined by the unit separator U+001F.

The key list is ordered: the first key seals new entries, the others only verify what
was sealed with them (rotation). Key ids are stored with each seal; they are not secret.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENTRY_DOMAIN = "samverkan-audit-entry"
HEAD_DOMAIN = "samverkan-audit-head"
CHECKPOINT_DOMAIN = "samverkan-audit-checkpoint"
DERIVATION_LABEL = b"samverkan-audit-key-derivation"


def derived_key(secret_key: str, key_id: str) -> tuple[str, bytes]:
    """A key derived from SECRET_KEY, for the test and demo settings only: production
    requires AUDIT_KEYS of its own, so that a leaked SECRET_KEY alone forges no seal."""
    return key_id, hmac.digest(secret_key.encode(), DERIVATION_LABEL, "sha256")


def entry_message(seq: int, digest: str) -> bytes:
    return f"{ENTRY_DOMAIN}\x1f{seq}\x1f{digest}".encode()


def head_message(seq: int, digest: str) -> bytes:
    return f"{HEAD_DOMAIN}\x1f{seq}\x1f{digest}".encode()


def checkpoint_message(seq: int, digest: str, ts: str) -> bytes:
    return f"{CHECKPOINT_DOMAIN}\x1f{seq}\x1f{digest}\x1f{ts}".encode()


def mac(key: bytes, message: bytes) -> str:
    """Hex HMAC-SHA256 of ``message`` under ``key`` (the reference for SealKey)."""
    return hmac.digest(key, message, "sha256").hex()


_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


class SealKey:
    """HMAC-SHA256 (RFC 2104) under one key, with the padded-key hash states computed
    once: about half the time of ``hmac.digest`` per message, which counts in a
    verification that seals every row (tests/audit/test_seal.py compares the two)."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, secret: bytes) -> None:
        if len(secret) > 64:  # SHA-256's block size: longer keys are hashed first
            secret = hashlib.sha256(secret).digest()
        block = secret.ljust(64, b"\0")
        self._inner = hashlib.sha256(block.translate(_IPAD))
        self._outer = hashlib.sha256(block.translate(_OPAD))

    def mac(self, message: bytes) -> str:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


@dataclass(frozen=True)
class Keyring:
    current_id: str
    current: SealKey
    by_id: dict[str, SealKey]

    def seal(self, message: bytes) -> tuple[str, str]:
        """(key id, mac) of ``message`` under the current key."""
        return self.current_id, self.current.mac(message)

    def valid(self, key_id: str, seal: str, message: bytes) -> bool:
        key = self.by_id.get(key_id)
        return key is not None and hmac.compare_digest(key.mac(message), seal)


_cache: tuple[object, Keyring] | None = None


def keyring() -> Keyring:
    """The configured keys. Raises ImproperlyConfigured when there are none: nothing is
    appended to the trail unsealed."""
    global _cache
    configured = getattr(settings, "AUDIT_KEYS", None)
    cached = _cache
    if cached is not None and cached[0] is configured:
        return cached[1]
    keys = list(configured or [])
    if not keys:
        raise ImproperlyConfigured("AUDIT_KEYS is empty: the audit trail cannot be sealed")
    by_id = {key_id: SealKey(bytes(secret)) for key_id, secret in keys}
    ring = Keyring(current_id=keys[0][0], current=by_id[keys[0][0]], by_id=by_id)
    _cache = (configured, ring)
    return ring
