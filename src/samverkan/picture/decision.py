"""The area scope: which areas, districts and municipalities one person's local picture,
prevention documents and agreements reach, and what they may do there. Written once;
the picture, prevention and agreement apps (views, templates through ``{% local_may %}``,
services and selectors) all ask ``LocalAccess``.

Who sees what (each also needs the role permission of the action):

- **The police** see the areas their organisation polices: a local police area its own
  areas, a police region the areas of its local police areas.
- **A district administration** sees the areas of its district.
- **The municipality's own bodies** (``Organisation.municipality`` set, kind municipal)
  see every area of that municipality's districts.
- **Everyone else** (housing companies, public transport, businesses, civil society,
  agencies) sees no area: an external reporter reports in the areas their organisation is
  registered for (``ReportingArea``) and sees only the reports they made themselves.

A municipality's documents (lägesbild, åtgärdsplan, agreement) are visible to those who
see any area or district of that municipality; a district's documents to those who see
that district. Documents are edited by the municipality's own bodies (municipality-wide
ones) and by the district's administration or the municipality's bodies (a district's);
the police edit an agreement they are a party to. Outside the scope: 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from samverkan.access.permissions import Permission
from samverkan.directory.models import OrganisationKind

POLICE_KINDS = frozenset({OrganisationKind.POLICE_AREA, OrganisationKind.POLICE_REGION})
MUNICIPAL_KINDS = frozenset({OrganisationKind.MUNICIPAL, OrganisationKind.DISTRICT_ADMINISTRATION,
                             OrganisationKind.SCHOOL})


def reports_through_scope(kind: str, municipality: str) -> bool:
    """Whether an organisation's staff report in the areas they see (the police, district
    administrations, the municipality's own bodies) rather than in the areas it is
    registered for (``ReportingArea``, everyone else)."""
    if kind in POLICE_KINDS or kind == OrganisationKind.DISTRICT_ADMINISTRATION:
        return True
    return bool(municipality) and kind in MUNICIPAL_KINDS


class LocalAction(StrEnum):
    VIEW_PICTURE = "view_picture"  # entry: an area
    REPORT = "report"  # entry: an area (None: may report somewhere)
    VIEW_REPORT = "view_report"  # entry: an incident report
    WITHDRAW_REPORT = "withdraw_report"  # entry: an incident report (the reporter's own)
    RUN_MEETING = "run_meeting"  # entry: an area (the weekly meeting)
    UPDATE_ACTION = "update_action"  # entry: a WeekAction (its organisation, or a meeting runner)
    MANAGE_CATALOGUE = "manage_catalogue"  # categories, named places, reporting organisations
    VIEW_DOCUMENTS = "view_documents"  # entry: a document (lägesbild, plan) or None
    MANAGE_DOCUMENT = "manage_document"  # entry: a document, or None for "may start one"
    VIEW_AGREEMENT = "view_agreement"  # entry: an agreement or None
    MANAGE_AGREEMENT = "manage_agreement"  # entry: an agreement or None
    REPORT_PRESENCE = "report_presence"  # entry: a PresencePromise (the police of its area)
    MANAGE_PROMISES = "manage_promises"  # citizen promises and their progress; entry: an area
    RECORD_PROGRESS = "record_progress"  # entry: a Measure of an åtgärdsplan (with its plan)


@dataclass(frozen=True)
class LocalAccess:
    """One person's area scope (built by picture.selectors.scope.local_access_for)."""

    user_id: int
    org_id: int
    org_kind: str
    municipality: str  # the own organisation's, when one of the municipality's bodies
    permissions: frozenset[str]
    area_ids: frozenset[int]  # areas whose joint picture the person sees
    district_ids: frozenset[int]  # districts the person sees
    municipalities: frozenset[str]  # municipalities the person sees (any area or district)
    reporting_area_ids: frozenset[int]  # areas the person may report in
    editable_district_ids: frozenset[int]  # districts whose documents the person may edit

    # --- querysets ---------------------------------------------------------------

    def areas_q(self, prefix: str = "") -> Q:
        """Q over Area (or over a model with an area, ``prefix="area__"``)."""
        if Permission.PICTURE_VIEW not in self.permissions:
            return Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
        return Q(**{f"{prefix}pk__in": sorted(self.area_ids)})

    def reports_q(self) -> Q:
        """Q over IncidentReport: the reports of the areas the person sees, and their own."""
        own = Q(reporter_id=self.user_id)
        if Permission.PICTURE_VIEW in self.permissions and self.area_ids:
            return Q(area_id__in=sorted(self.area_ids)) | own
        return own

    def documents_q(self) -> Q:
        """Q over a municipality's or district's document (SituationReport,
        PreventionPlan, Agreement, Coordinator, CycleStep)."""
        if Permission.PREVENTION_VIEW not in self.permissions and Permission.AGREEMENT_VIEW not in self.permissions:
            return Q(pk__in=[])
        return Q(district__isnull=True, municipality__in=sorted(self.municipalities)) | Q(
            district_id__in=sorted(self.district_ids)
        )

    # --- decisions -------------------------------------------------------------

    @property
    def is_police(self) -> bool:
        return self.org_kind in POLICE_KINDS

    @property
    def is_city(self) -> bool:
        """One of the municipality's own city-wide bodies (not a district's)."""
        return bool(self.municipality) and self.org_kind == OrganisationKind.MUNICIPAL

    def sees_area(self, area_id: int | None) -> bool:
        return Permission.PICTURE_VIEW in self.permissions and area_id in self.area_ids

    def sees_document(self, entry: Any) -> bool:
        district_id = getattr(entry, "district_id", None)
        if district_id is not None:
            return district_id in self.district_ids
        return getattr(entry, "municipality", None) in self.municipalities

    def edits_document(self, entry: Any) -> bool:
        district_id = getattr(entry, "district_id", None)
        if district_id is not None:
            return district_id in self.editable_district_ids
        return self.is_city and getattr(entry, "municipality", None) == self.municipality

    def may(self, action: LocalAction | str, entry: Any = None) -> bool:
        action = LocalAction(action)
        perms = self.permissions
        if action is LocalAction.VIEW_PICTURE:
            return Permission.PICTURE_VIEW in perms and ((entry is None and bool(self.area_ids)) or self.sees_area(
                getattr(entry, "pk", None)))
        if action is LocalAction.REPORT:
            if Permission.PICTURE_REPORT not in perms:
                return False
            return bool(self.reporting_area_ids) if entry is None else entry.pk in self.reporting_area_ids
        if action is LocalAction.VIEW_REPORT:
            return entry.reporter_id == self.user_id or self.sees_area(entry.area_id)
        if action is LocalAction.WITHDRAW_REPORT:
            return Permission.PICTURE_REPORT in perms and entry.reporter_id == self.user_id
        if action is LocalAction.RUN_MEETING:
            if Permission.PICTURE_MEETING_MANAGE not in perms:
                return False
            return bool(self.area_ids) if entry is None else self.sees_area(getattr(entry, "pk", None))
        if action is LocalAction.UPDATE_ACTION:
            if Permission.PICTURE_VIEW not in perms or not self.sees_area(entry.meeting.area_id):
                return False
            return entry.organisation_id == self.org_id or Permission.PICTURE_MEETING_MANAGE in perms
        if action is LocalAction.MANAGE_CATALOGUE:
            return Permission.PICTURE_CATALOGUE_MANAGE in perms
        if action is LocalAction.VIEW_DOCUMENTS:
            if Permission.PREVENTION_VIEW not in perms:
                return False
            return bool(self.municipalities or self.district_ids) if entry is None else self.sees_document(entry)
        if action is LocalAction.MANAGE_DOCUMENT:
            if Permission.PREVENTION_MANAGE not in perms:
                return False
            if entry is None:
                return self.is_city or bool(self.editable_district_ids)
            return self.sees_document(entry) and self.edits_document(entry)
        if action is LocalAction.VIEW_AGREEMENT:
            if Permission.AGREEMENT_VIEW not in perms:
                return False
            return bool(self.municipalities or self.district_ids) if entry is None else self.sees_document(entry)
        if action is LocalAction.MANAGE_AGREEMENT:
            if Permission.AGREEMENT_MANAGE not in perms:
                return False
            if entry is None:
                return self.is_city or bool(self.editable_district_ids) or self.is_police
            if not self.sees_document(entry):
                return False
            return self.edits_document(entry) or (self.is_police and self._is_party(entry))
        if action is LocalAction.REPORT_PRESENCE:
            return Permission.PRESENCE_REPORT in perms and self.is_police and self.sees_area(entry.area_id)
        if action is LocalAction.MANAGE_PROMISES:
            # System administrators keep the promise pages they always had (every area).
            if Permission.CITIZEN_PROMISE_MANAGE not in perms:
                return False
            if entry is None or Permission.PICTURE_CATALOGUE_MANAGE in perms:
                return True
            return entry.pk in self.area_ids
        if action is LocalAction.RECORD_PROGRESS:
            # Follow-up of a measure: whoever edits the plan, and the measure's responsible
            # organisation (staff who see the plan) for its own measures.
            plan = entry.plan
            if self.may(LocalAction.MANAGE_DOCUMENT, plan):
                return True
            return (Permission.PREVENTION_VIEW in perms and self.sees_document(plan)
                    and entry.organisation_id == self.org_id)
        return False  # fail closed

    def require(self, action: LocalAction | str, entry: Any = None) -> None:
        if not self.may(action, entry):
            raise PermissionDenied

    def _is_party(self, agreement: Any) -> bool:
        """The police organisation of the agreement, or a party to it (parties are
        prefetched by the agreement selectors)."""
        if getattr(agreement, "police_id", None) == self.org_id:
            return True
        return any(p.organisation_id == self.org_id for p in agreement.parties.all())
