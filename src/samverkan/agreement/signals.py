"""Signals other apps listen to. The versioned writes (lib.concurrency) are UPDATE
queries, which send no post_save; so a service that changes what residents may see
sends ``promise_changed`` itself (samverkan.public.signals clears the residents' page
cache on it, after the transaction commits). The agreement app cannot import the public
app (it sits above it), hence a signal rather than a call."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``promise=<CitizenPromise>`` inside the writing transaction.
promise_changed = Signal()
