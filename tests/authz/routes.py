"""The case-related routes the matrix requests: every view, action and export under
/arenden/, /bevakningar/, /dataskydd/, /statistik/, /loggranskning/ and the home page.

``ROUTES`` rows: (route name, method, entry key the URL points at or None). URLs are
built by ``url_for`` from the route name and the world; ``tests/authz`` also walks the
URLconf and fails if a route under those prefixes is missing here.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

PREFIXES = ("arenden/", "bevakningar/", "dataskydd/", "statistik/", "loggranskning/")
MISSING_ID = 987654321

# (route name, method, target, query/variant) in the order requested. Actions that change
# something when allowed come last, so they do not change what the earlier rows see.
ROUTES: list[tuple[str, str, str | None]] = [
    ("frontend:home", "GET", None),
    ("cases:list", "GET", None),
    ("cases:intake", "GET", None),
    ("cases:intake", "POST", None),
    ("cases:lookup", "GET", None),
    ("cases:lookup", "POST", "person_last"),
    ("cases:detail", "GET", None),
    ("cases:decide", "GET", None),
    ("cases:decide", "POST", None),
    ("cases:team", "GET", None),
    ("cases:team", "POST", None),
    ("cases:transfer", "POST", None),
    ("cases:closure", "GET", "closure"),
    ("cases:close", "POST", None),
    ("cases:follow_up", "GET", "follow_up"),
    ("cases:follow_up", "POST", "follow_up"),
    ("cases:legal_hold", "POST", None),
    ("cases:programme_list", "GET", None),
    ("cases:programme_create", "GET", None),
    ("cases:programme_edit", "GET", None),
    ("consent:list", "GET", None),
    ("consent:record", "GET", None),
    ("consent:record", "POST", None),
    ("consent:document", "GET", "consent"),
    ("consent:disclosures", "GET", None),
    ("consent:disclosure_record", "GET", None),
    ("consent:disclosure_record", "POST", None),
    ("consent:register", "GET", None),
    ("consent:register_export", "GET", None),
    ("consent:legal_basis_list", "GET", None),
    ("consent:legal_basis_new", "GET", None),
    ("consent:legal_basis_edit", "GET", None),
    ("consent:legal_basis_active", "POST", None),
    ("journal:notes", "GET", None),
    ("journal:notes", "GET", "?category=social"),
    ("journal:note_new", "GET", None),
    ("journal:note_new", "POST", None),
    ("journal:note_edit", "GET", "note_jarva_draft"),
    ("journal:note_edit", "POST", "note_jarva_draft"),
    ("journal:note_correct", "GET", "note_jarva_basic"),
    ("journal:note_correct", "GET", "note_police_crime_after"),
    ("journal:note_correct", "POST", "note_school_health"),
    ("people:guardians", "GET", None),
    ("people:guardians", "POST", None),
    ("plans:plan", "GET", None),
    ("plans:goal_new", "GET", None),
    ("plans:goal_new", "POST", None),
    ("plans:goal_edit", "GET", "goal_jarva"),
    ("plans:goal_edit", "GET", "goal_police"),
    ("plans:goal_edit", "POST", "goal_school"),
    ("plans:commitment_new", "GET", None),
    ("plans:commitment_new", "POST", None),
    ("plans:commitment_edit", "GET", "commitment_jarva"),
    ("plans:commitment_edit", "GET", "commitment_jarva_for_police"),
    ("plans:commitment_edit", "POST", "commitment_probation"),
    ("plans:summary_edit", "GET", None),
    ("plans:summary_edit", "POST", None),
    ("plans:establish", "POST", None),
    ("plans:version", "GET", None),
    ("plans:pdf", "GET", None),
    ("meetings:list", "GET", None),
    ("meetings:new", "GET", None),
    ("meetings:new", "POST", None),
    ("meetings:detail", "GET", "meeting_jarva"),
    ("meetings:detail", "GET", "meeting_police"),
    ("meetings:detail", "GET", "meeting_school"),
    ("meetings:edit", "GET", "meeting_jarva"),
    ("meetings:edit", "POST", "meeting_probation"),
    ("meetings:cancel", "POST", "meeting_upcoming"),
    ("meetings:attendance", "GET", "meeting_police"),
    ("meetings:minutes_new", "GET", "meeting_jarva"),
    ("meetings:minutes_new", "POST", "meeting_school"),
    ("meetings:minutes_edit", "GET", "minutes_draft_jarva"),
    ("meetings:minutes_edit", "GET", "minutes_police"),
    ("meetings:minutes_sign", "POST", "minutes_draft_jarva"),
    ("meetings:decision_new", "GET", "minutes_draft_jarva"),
    ("meetings:decision_commit", "GET", "decision_jarva"),
    ("meetings:decision_commit", "GET", "decision_probation"),
    ("reminders:mine", "GET", None),
    ("reminders:mine", "GET", "?klara=1"),
    ("reminders:case", "GET", None),
    ("reminders:case", "POST", None),
    ("dataprotection:retention", "GET", None),
    ("dataprotection:retention_run", "POST", None),
    ("dataprotection:subject_access", "GET", None),
    ("dataprotection:subject_access", "POST", "json"),
    ("dataprotection:subject_access", "POST", "pdf"),
    ("followup:overview", "GET", None),
    ("followup:export_csv", "GET", None),
    ("followup:export_xlsx", "GET", None),
    # A Trefas forum's statistics (this world has no forum: everyone is outside it).
    ("followup:trefas", "GET", None),
    ("followup:trefas_csv", "GET", None),
    ("followup:trefas_xlsx", "GET", None),
    ("logreview:index", "GET", None),
    ("logreview:sample", "POST", None),
    ("logreview:review", "GET", None),
    ("logreview:mark", "POST", None),
    # Changing actions last.
    ("cases:emergency", "POST", None),
    ("reminders:done", "POST", "own_reminder"),
    ("journal:note_sign", "POST", "note_jarva_draft"),
    ("consent:withdraw", "POST", "consent"),
    ("cases:team_remove", "POST", None),
]

# Irreversible actions: the first POST only shows a confirmation page (frontend.confirm).
CONFIRMED_ROUTES = {
    "cases:close", "cases:decide", "cases:transfer", "cases:team_remove", "plans:establish",
    "journal:note_sign", "journal:note_new", "journal:note_edit", "journal:note_correct",
    "meetings:minutes_sign", "meetings:minutes_new", "meetings:cancel", "dataprotection:retention_run",
    "consent:withdraw", "cases:legal_hold",
}


def row_id(row: tuple[str, str, str | None]) -> str:
    name, method, target = row
    return f"{method} {name}" + (f" [{target}]" if target else "")


def url_for(world: Any, name: str, target: str | None, consents: list[Any], *,
            case_id: Any = None) -> tuple[str, dict[str, Any]]:
    """(URL, POST data) of one row for ``world``; ``case_id`` replaces the case's public
    id (to compare with a case that does not exist)."""
    pid = case_id or world.case.public_id
    obj = world.objects.get(target) if target else None
    data: dict[str, Any] = {}
    query = target if target and target.startswith("?") else ""
    kwargs: dict[str, Any] = {}
    app = name.split(":")[0]
    case_scoped = app in ("journal", "plans", "meetings", "people") or name in (
        "cases:detail", "cases:decide", "cases:team", "cases:transfer", "cases:closure", "cases:close",
        "cases:follow_up", "cases:legal_hold", "cases:emergency", "cases:team_remove", "consent:list",
        "consent:record", "consent:document", "consent:disclosures", "consent:disclosure_record",
        "consent:withdraw", "reminders:case")
    if case_scoped:
        kwargs["public_id"] = pid
    if name in ("journal:note_edit", "journal:note_correct", "journal:note_sign"):
        kwargs["note_id"] = obj.public_id
    elif name in ("plans:goal_edit",):
        kwargs["goal_id"] = obj.public_id
    elif name in ("plans:commitment_edit",):
        kwargs["commitment_id"] = obj.public_id
    elif name == "plans:version":
        kwargs["number"] = 1
    elif name in ("meetings:detail", "meetings:edit", "meetings:cancel", "meetings:attendance",
                  "meetings:minutes_new"):
        kwargs["meeting_id"] = obj.public_id
    elif name in ("meetings:minutes_edit", "meetings:minutes_sign", "meetings:decision_new"):
        kwargs["meeting_id"] = obj.meeting.public_id
        kwargs["minutes_id"] = obj.public_id
    elif name == "meetings:decision_commit":
        kwargs["meeting_id"] = obj.minutes.meeting.public_id
        kwargs["decision_id"] = obj.public_id
    elif name == "cases:follow_up":
        kwargs["pk"] = obj.pk
    elif name in ("consent:document", "consent:withdraw"):
        kwargs["consent_id"] = consents[0].pk if consents else MISSING_ID
    elif name == "cases:team_remove":
        kwargs["member_id"] = world.objects["police_member"].pk
    elif name == "reminders:done":
        kwargs["pk"] = obj.pk
    elif name == "cases:programme_edit":
        kwargs["pk"] = world.case.programme_id
    elif name in ("consent:legal_basis_edit", "consent:legal_basis_active"):
        from samverkan.consent.models import LegalBasis

        kwargs["pk"] = LegalBasis.objects.order_by("pk").values_list("pk", flat=True).first()
    elif name.startswith("followup:trefas"):
        kwargs["forum_id"] = MISSING_ID
    elif name in ("logreview:review", "logreview:mark"):
        today = timezone.localdate()
        kwargs.update(year=today.year, month=today.month)
        if name == "logreview:mark":
            kwargs["pk"] = MISSING_ID
    if name == "plans:establish":
        from samverkan.plans.models import ActionPlan

        data = {"revision": ActionPlan.objects.get(case_id=world.case.pk).revision}
    elif name in ("meetings:cancel", "meetings:minutes_sign"):
        data = {"version": type(obj).objects.get(pk=obj.pk).version}
    elif name == "cases:lookup":
        data = {"identity": world.identity.digits, "purpose": "Kontroll inför samverkansmöte"}
    elif name == "dataprotection:subject_access" and target in ("json", "pdf"):
        data = {"identity": world.identity.digits, "purpose": "Begäran om registerutdrag enligt GDPR",
                "export_format": target}
    if name in CONFIRMED_ROUTES:
        data["confirmed"] = "1"  # past the confirmation page: the matrix checks the action itself
    return reverse(name, kwargs=kwargs) + query, data
