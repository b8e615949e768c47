"""Changing experts, leave, shift patterns, rules and rosters; solving and publishing.

Who may call what is decided by access.policy: experts of an agency are changed by that
agency's staff (or the municipal side); solving, publishing and rules belong to the
municipal side (``can_manage_rosters``). Every change is audited in its transaction.
Published roster versions are never changed: a swap or a re-plan makes a new version.

One module per subject; callers import the module that owns the subject:

* ``common``: ``RosterRefused``, ``StaleEdit`` and the permission checks all modules share.
* ``experts``: experts and their leave.
* ``rules``: shift patterns and the working-time rules of an action group.
* ``rosters``: plans, solving (background job and engine run), publishing, exports.
* ``swaps``: shift swaps between experts, checked by the validator.
* ``uploads``: validating a roster CSV from another system.

Services that views and commands call as their own transaction, and that nothing calls
inside another transaction, open it with ``transaction.atomic(durable=True)``, so a
caller that wraps them by mistake fails loudly instead of silently widening the
transaction (Django exempts the test case's own transaction from that check).
"""
