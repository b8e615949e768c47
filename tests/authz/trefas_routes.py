"""The Trefas routes the matrix requests: every route of the ``trefas`` namespace and the
forum's statistics (``followup:trefas*``), GET and POST.

``ROUTES`` rows: (route name, method, target): the object the URL points at (a key of
``MatrixWorld.objects``) or a query string. POSTs send a form with no field the view
knows (bound and invalid): nothing they could change would survive anyway, because the
matrix runs every request inside a transaction it rolls back. tests/authz/test_trefas_matrix.py
walks the URLconf and fails when a Trefas route has no row here.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

MISSING_ID = 987654321

ROUTES: list[tuple[str, str, str | None]] = [
    ("trefas:forums", "GET", None),
    ("trefas:forum", "GET", None),
    ("trefas:forum", "GET", "?rating=red"),
    ("trefas:nominate", "GET", None),
    ("trefas:nominate", "POST", None),
    ("trefas:person", "GET", "listing_red"),
    ("trefas:person", "GET", "listing_prot"),
    ("trefas:person", "GET", "listing_plain"),
    ("trefas:rate", "GET", "listing_red"),
    ("trefas:rate", "POST", "listing_red"),
    ("trefas:remove", "GET", "listing_prot"),
    ("trefas:remove", "POST", "listing_prot"),
    ("trefas:groups", "GET", None),
    ("trefas:group_new", "POST", None),
    ("trefas:group_member_add", "POST", "group_one"),
    ("trefas:group_member_add", "POST", "group_two"),
    ("trefas:group_member_end", "POST", "membership"),
    ("trefas:conflict_new", "POST", None),
    ("trefas:conflict_status", "POST", "conflict"),
    ("trefas:shares", "GET", None),
    ("trefas:share_new", "GET", "listing_red"),
    ("trefas:share_new", "POST", "listing_prot"),
    ("trefas:group_share_new", "GET", "group_one"),
    ("trefas:group_share_new", "POST", "group_two"),
    ("trefas:share_decide", "POST", "share_proposed"),
    ("trefas:share_decide", "POST", "share_soc_proposed"),
    ("trefas:share_withdraw", "GET", "share_proposed"),
    ("trefas:share_withdraw", "GET", "share_soc"),
    ("trefas:share_withdraw", "POST", "share_approved"),
    ("trefas:meetings", "GET", None),
    ("trefas:meeting_new", "GET", None),
    ("trefas:meeting_new", "POST", None),
    ("trefas:meeting", "GET", "meeting_planned"),
    ("trefas:meeting", "GET", "meeting_held"),
    ("trefas:meeting_pdf", "GET", "meeting_planned"),
    ("trefas:meeting_pdf", "GET", "meeting_held"),
    ("trefas:meeting_cancel", "GET", "meeting_planned"),
    ("trefas:meeting_cancel", "POST", "meeting_planned"),
    ("trefas:meeting_attendance", "GET", "meeting_planned"),
    ("trefas:meeting_attendance", "POST", "meeting_planned"),
    ("trefas:meeting_discussed", "GET", "meeting_planned"),
    ("trefas:meeting_discussed", "POST", "meeting_planned"),
    ("trefas:meeting_minutes", "GET", "meeting_planned"),
    ("trefas:meeting_minutes", "POST", "meeting_planned"),
    ("trefas:meeting_minutes", "GET", "meeting_held"),
    ("trefas:meeting_sign", "GET", "meeting_planned"),
    ("trefas:meeting_sign", "POST", "meeting_planned"),
    ("trefas:meeting_action_new", "GET", "meeting_planned"),
    ("trefas:meeting_action_new", "POST", "meeting_planned"),
    ("trefas:actions", "GET", None),
    ("trefas:action_status", "POST", "action_soc"),
    ("trefas:incidents", "GET", None),
    ("trefas:incident_new", "GET", None),
    ("trefas:incident_new", "POST", None),
    ("trefas:incident", "GET", "incident"),
    ("trefas:incident_link", "GET", "incident"),
    ("trefas:incident_link", "POST", "incident"),
    ("trefas:incident_action_done", "POST", "incident_action"),
    ("trefas:releases", "GET", None),
    ("trefas:release_new", "GET", None),
    ("trefas:release_new", "POST", None),
    ("trefas:release", "GET", "release"),
    ("trefas:release_cancel", "GET", "release"),
    ("trefas:release_cancel", "POST", "release"),
    ("trefas:release_action_new", "POST", "release"),
    ("trefas:release_action_done", "POST", "release_action"),
    ("trefas:exit_new", "GET", "listing_plain"),
    ("trefas:exit_new", "POST", "listing_plain"),
    ("trefas:notices", "GET", None),
    ("trefas:notices_read", "POST", None),
    ("trefas:checklist_templates", "GET", None),
    ("trefas:checklist_template_new", "GET", None),
    ("trefas:checklist_template_new", "POST", None),
    ("trefas:checklist_template_edit", "GET", "template"),
    ("trefas:checklist_template_edit", "POST", "template"),
    ("trefas:admin_forums", "GET", None),
    ("trefas:admin_forum_new", "GET", None),
    ("trefas:admin_forum_new", "POST", None),
    ("trefas:admin_forum", "GET", None),
    ("trefas:admin_forum_edit", "GET", None),
    ("trefas:admin_forum_edit", "POST", None),
    ("trefas:admin_organisation_new", "GET", None),
    ("trefas:admin_organisation_new", "POST", None),
    ("trefas:admin_organisation", "GET", "forum_org"),
    ("trefas:admin_organisation", "POST", "forum_org"),
    ("trefas:admin_member_new", "GET", None),
    ("trefas:admin_member_new", "POST", None),
    ("trefas:admin_member", "GET", "forum_member"),
    ("trefas:admin_member", "POST", "forum_member"),
    ("trefas:admin_member_deactivate", "GET", "forum_member"),
    ("trefas:admin_member_deactivate", "POST", "forum_member"),
    ("trefas:retention", "GET", None),
    ("trefas:retention_rules", "POST", None),
    ("trefas:retention_run", "POST", None),
    ("followup:trefas", "GET", None),
    ("followup:trefas_csv", "GET", None),
    ("followup:trefas_xlsx", "GET", None),
]

# Which keyword each target fills in (the forum id is added for every forum route).
_TARGET_KWARG = {
    "listing": "listing_id", "group": "group_id", "membership": "membership_id", "conflict": "conflict_id",
    "share": "share_id", "meeting": "meeting_id", "action": "action_id", "incident": "incident_id",
    "release": "release_id", "template": "pk", "forum": "membership_id",
}
# Routes without a forum in the URL.
NO_FORUM = {"trefas:forums", "trefas:notices", "trefas:notices_read", "trefas:checklist_templates",
            "trefas:checklist_template_new", "trefas:checklist_template_edit", "trefas:admin_forums",
            "trefas:admin_forum_new", "trefas:retention", "trefas:retention_rules", "trefas:retention_run"}


def row_id(row: tuple[str, str, str | None]) -> str:
    name, method, target = row
    return f"{method} {name}" + (f" [{target}]" if target else "")


def forum_scoped(name: str) -> bool:
    return name not in NO_FORUM


def url_for(world: Any, name: str, target: str | None, *, forum_id: int | None = None) -> tuple[str, dict[str, Any]]:
    """(URL, POST data) of one row; ``forum_id`` replaces the forum's id (to compare
    with a forum that does not exist)."""
    kwargs: dict[str, Any] = {}
    query = target if target and target.startswith("?") else ""
    if forum_scoped(name):
        kwargs["forum_id"] = forum_id or world.forum.pk
    if target and not query:
        obj = world.objects[target]
        if name == "trefas:admin_member" or name == "trefas:admin_member_deactivate":
            kwargs["member_id"] = obj.pk
        elif name == "trefas:release_action_done":
            kwargs["release_id"] = obj.release_id
            kwargs["action_id"] = obj.pk
        elif name == "trefas:incident_action_done":
            kwargs["incident_id"] = obj.incident_id
            kwargs["action_id"] = obj.pk
        else:
            kwargs[_TARGET_KWARG[target.split("_")[0]]] = obj.pk
    # One field no form knows: the form is bound (``request.POST or None``) and invalid.
    return reverse(name, kwargs=kwargs) + query, {"matrix": "1"}
