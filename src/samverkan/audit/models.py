"""The audit trail: append-only rows linked by a SHA-256 hash chain.

Each row's ``hash`` covers its own fields and the previous row's hash, so any change,
deletion, insertion or reordering breaks the chain from that point (see chain.py).
``AuditChainHead`` holds the last sequence number and hash; appends lock it, which
serialises writers and lets verification notice entries cut off the end.
Database triggers (guard.py) refuse UPDATE and DELETE on the rows themselves.
Every entry and the head carry a seal (``key_id``, ``mac``): an HMAC under a key the
database never sees (seal.py), so whoever rewrites rows and recomputes their hashes
still cannot make them verify.

Rows hold identifiers only (user id, organisation id, subject type and id), never the
personal data itself.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import models


class AuditEvent(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    ts = models.BigIntegerField(help_text="Microseconds since the Unix epoch, UTC")
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_organisation_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_organisation_id = models.BigIntegerField(null=True, blank=True)
    purpose = models.CharField(max_length=500, blank=True)
    legal_basis = models.CharField(max_length=100, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    detail = models.TextField(blank=True, help_text="Canonical JSON; identifiers and counts only")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True, help_text="Which AUDIT_KEYS key sealed it")
    mac = models.CharField(max_length=64, blank=True, help_text="HMAC-SHA256 over seq and hash")

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["actor_id", "seq"], name="audit_actor_seq"),
            models.Index(fields=["actor_organisation_id", "seq"], name="audit_actor_org_seq"),
            models.Index(fields=["subject_organisation_id", "seq"], name="audit_subject_org_seq"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
            models.Index(fields=["action", "seq"], name="audit_action_seq"),
            models.Index(fields=["ts"], name="audit_ts"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def occurred_at(self) -> datetime:
        return datetime.fromtimestamp(self.ts / 1_000_000, tz=UTC)


class AuditChainHead(models.Model):
    """Singleton (id=1): the last appended sequence number and hash."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True)
    mac = models.CharField(max_length=64, blank=True, help_text="HMAC-SHA256 over last_seq and last_hash")

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
