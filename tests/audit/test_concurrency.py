"""Concurrent appends serialise on the chain head: gap-free, correctly linked."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from samverkan.audit import services
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditChainHead, AuditEvent
from samverkan.audit.verify import verify_chain

THREADS = 4
PER_THREAD = 25


@pytest.mark.parametrize("head", ["present", "missing"])
def test_concurrent_appends_keep_the_chain_intact(transactional_db, head):
    """Also when the head row is missing (a fresh table flush): it is created exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a multi-connection server database (SQLite tests run in memory)")
    if head == "missing":
        AuditChainHead.objects.all().delete()
    assert not AuditEvent.objects.exists()
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(PER_THREAD):
                with transaction.atomic():
                    services.record(action=Action.USER_UPDATED, actor_id=n, subject_id=i)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS * PER_THREAD + 1))
    assert AuditChainHead.objects.get(id=1).last_seq == THREADS * PER_THREAD
    assert verify_chain().ok
