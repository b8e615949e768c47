"""Reading the directory. Organisations and places are not personal data: every
verified staff user with directory:organisation:view may read them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.directory.models import (
    DEFAULT_PRIMARY_COLOUR,
    Area,
    AreaClassification,
    District,
    Identity,
    Organisation,
)


def organisations_for_user_admin(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations in which the actor may create and manage accounts."""
    if policy.has_permission(actor, Permission.ALL_USERS_MANAGE):
        return Organisation.objects.filter(active=True).order_by("name")
    if policy.has_permission(actor, Permission.ORG_USERS_MANAGE):
        return Organisation.objects.filter(pk=actor.organisation_id)
    return Organisation.objects.none()


def organisation_list(*, kind: str = "", include_inactive: bool = False) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("parent").order_by("name")
    if kind:
        qs = qs.filter(kind=kind)
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs


def district_list() -> QuerySet[District]:
    return District.objects.select_related("administration").order_by("name")


def area_list() -> QuerySet[Area]:
    return (
        Area.objects.select_related("district", "police_area")
        .prefetch_related(
            Prefetch("classifications", queryset=AreaClassification.objects.order_by("-list_year"))
        )
        .order_by("name")
    )


def areas_by_name() -> QuerySet[Area]:
    """Every area by name, without related rows: the choices of an area picker (the
    capacity planner). Areas are places, not personal data."""
    return Area.objects.order_by("name")


def areas_with_codes(codes: Iterable[str]) -> QuerySet[Area]:
    """The areas with the given codes (the capacity planner's worked example)."""
    return Area.objects.filter(code__in=list(codes))


def current_classification(area: Area) -> AreaClassification | None:
    """The newest list year's classification (uses the prefetched rows when present)."""
    rows = list(area.classifications.all())
    return max(rows, key=lambda c: c.list_year) if rows else None


def latest_list_year() -> int | None:
    row = (
        AreaClassification.objects.order_by("-list_year")
        .values_list("list_year", flat=True)
        .first()
    )
    return row


def areas_missing_latest_classification() -> int:
    year = latest_list_year()
    if year is None:
        return Area.objects.count()
    return Area.objects.exclude(classifications__list_year=year).count()


# --- The organisation's identity (public: shown on every page) -------------------------

@dataclass(frozen=True)
class IdentityView:
    """What headers, letterheads and e-mail footers show. ``configured`` is False until
    an administrator saved an identity: the pages then show the product's name only."""

    configured: bool = False
    name: str = ""
    has_logo: bool = False
    primary_colour: str = DEFAULT_PRIMARY_COLOUR
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    is_fictitious: bool = False
    version: int = 0

    @property
    def contact_lines(self) -> list[str]:
        return [line for line in (self.address, self.phone, self.email, self.website) if line]


def identity() -> IdentityView:
    """The identity: one small query (never the logo's bytes). Not cached across
    requests, so every process shows an administrator's change at once; the context
    processor (directory.context_processors) reads it lazily, once per page."""
    row = (
        Identity.objects.filter(pk=Identity.SINGLETON_PK)
        .annotate(logo_bytes=Length("logo_png"))
        .values(
            "name",
            "primary_colour",
            "address",
            "phone",
            "email",
            "website",
            "is_fictitious",
            "version",
            "logo_bytes",
        )
        .first()
    )
    if row is None:
        return IdentityView()
    has_logo = bool(row.pop("logo_bytes"))
    return IdentityView(configured=True, has_logo=has_logo, **row)


def identity_for_edit() -> Identity:
    """The stored identity, or an unsaved one to fill in."""
    return Identity.objects.filter(pk=Identity.SINGLETON_PK).first() or Identity(
        pk=Identity.SINGLETON_PK
    )


def identity_logo() -> bytes:
    """The logo as PNG bytes (b"" when there is none)."""
    value = (
        Identity.objects.filter(pk=Identity.SINGLETON_PK).values_list("logo_png", flat=True).first()
    )
    return bytes(value) if value else b""


def identity_mail_footer() -> str:
    """The lines that end every e-mail the system sends: the organisation's name and
    contact details ("" before an identity is saved)."""
    view = identity()
    if not view.configured:
        return ""
    return "\n".join(["", "--", view.name, *view.contact_lines])


def identity_letterhead() -> dict[str, object]:
    """The letterhead of every document (lib.documents calls this through the setting
    SAMVERKAN_DOCUMENT_LETTERHEAD): the name, the contact details and the logo's bytes."""
    view = identity()
    if not view.configured:
        return {}
    return {
        "context": {
            "letterhead": {
                "name": view.name,
                "contact_lines": view.contact_lines,
                "has_logo": view.has_logo,
                "logo_alt": _("Logo of %(name)s") % {"name": view.name},
            }
        },
        "images": {"logo.png": identity_logo()} if view.has_logo else {},
    }
