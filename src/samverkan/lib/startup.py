"""Start-up refusal shared by every entry point (the WSGI module, ``samverkan worker``,
``samverkan scheduler``): the serious findings of Django's database checks.

The checks themselves are registered by the apps that own them with the ``database``
tag (e.g. dbroles: the runtime role must not be able to alter the audit trail,
samverkan.E020/E021), so an entry point asks Django's check framework and names no app.
"""

from __future__ import annotations

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections


def database_check_refusals() -> list[str]:
    """The serious findings of the database checks on the default database, one line
    each ([] when there are none). Closes the connections it opened: the caller may
    fork (gunicorn --preload, the RQ worker) and children must open their own. (A
    connection inside a transaction is left alone: only a test calls this in one.)"""
    try:
        found = checks.run_checks(tags=[checks.Tags.database], databases=[DEFAULT_DB_ALIAS])
    finally:
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
    return [message.msg for message in found if message.is_serious()]
