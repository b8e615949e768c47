"""Reading exits: those recorded for a listed person (the forum's side), and, for the
individual track's case page, the forums a case's person is listed in — named only to a
viewer who takes part in that forum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import ExitLink, Listing, Rating
from samverkan.trefas.selectors.forums import forum_access

if TYPE_CHECKING:
    from samverkan.accounts.models import User
    from samverkan.cases.models import Case


@dataclass(frozen=True)
class ExitView:
    link: ExitLink
    kind: str
    organisation: str
    case_url: str  # "" unless the viewer's organisation started the case (sees_exit_case)


def exits_for_listing(*, access: TrefasAccess, listing: Listing) -> list[ExitView]:
    """The exits recorded for a listed person of the viewer's forum, newest first. The
    SIG case is linked only for the organisation that started it."""
    views = []
    for link in (
        ExitLink.objects.filter(listing=listing, listing__forum_id=access.forum_id)
        .select_related("created_by_organisation", "case").order_by("-created_at", "-pk")
    ):
        url = ""
        if access.sees_exit_case(link) and link.case is not None:
            url = reverse("cases:detail", kwargs={"public_id": link.case.public_id})
        views.append(ExitView(link=link, kind=link.get_kind_display(), organisation=link.created_by_organisation.name,
                              case_url=url))
    return views


def _person_url(forum_id: int, listing_id: int) -> str:
    """The person's page on the list (the list topic's), else the forum's list."""
    try:
        return reverse("trefas:person", kwargs={"forum_id": forum_id, "listing_id": listing_id})
    except NoReverseMatch:
        return reverse("trefas:forum", kwargs={"forum_id": forum_id})


@dataclass(frozen=True)
class CaseForumLink:
    forum_id: int
    forum_name: str
    listing_id: int
    url: str


def trefas_links_for_case(*, actor: User, case: Case) -> list[CaseForumLink]:
    """For the case overview (casepages; the caller has passed the case decision): the
    Trefas forums whose list the case's person was taken from by an exit, only those the
    viewer takes part in (trefas.selectors.forums.forum_access) and only while the
    person is still listed. Everyone else learns nothing, not even that a link exists.
    Each link shown is audited as a read of the listing."""
    links = []
    seen: set[int] = set()
    for link in (
        ExitLink.objects.filter(case_id=case.pk, listing__removed_at__isnull=True)
        .select_related("listing__forum").order_by("pk")
    ):
        listing = link.listing
        if listing.pk in seen or forum_access(actor, listing.forum_id) is None:
            continue
        seen.add(listing.pk)
        links.append(CaseForumLink(forum_id=listing.forum_id, forum_name=listing.forum.name, listing_id=listing.pk,
                                   url=_person_url(listing.forum_id, listing.pk)))
        audit.record(
            action=Action.TREFAS_PERSON_VIEWED, actor=actor, subject_type="trefas_listing", subject_id=listing.pk,
            subject_organisation_id=listing.nominated_by_organisation_id,
            detail={"forum": listing.forum_id, "from_case": True, "exit": link.pk,
                    **({"red": True} if listing.rating == Rating.RED else {})},
        )
    return links
