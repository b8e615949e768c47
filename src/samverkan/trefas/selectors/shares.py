"""Reads for shares: the jurist's queue, the own organisation's shares, the shares received,
one share, and the choices of the share form. Every read goes through the forum decision
(``TrefasAccess.shares_q``: a proposed, refused or withdrawn share is never another
organisation's to see) and each page is audited. Each list costs a fixed number of queries,
however many shares the forum holds that the viewer cannot see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.consent.models import LegalBasis
from samverkan.consent.selectors import legal_bases
from samverkan.directory.models import Organisation
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import Forum, ForumOrganisation, Group, Listing, Rating, Share, ShareState

if TYPE_CHECKING:
    from samverkan.accounts.models import User

LIST_LIMIT = 100  # newest (queue: oldest) first; the page says when there are more


@dataclass(frozen=True)
class ShareRow:
    share: Share
    about: str  # the listed person's name (unless protected) or the group's name
    recipients: list[str]
    red: bool


@dataclass
class SharesPage:
    queue: list[ShareRow] = field(default_factory=list)
    queue_more: bool = False
    own: list[ShareRow] = field(default_factory=list)
    own_more: bool = False
    received: list[ShareRow] = field(default_factory=list)
    received_more: bool = False
    is_reviewer: bool = False


def _base(access: TrefasAccess) -> QuerySet[Share]:
    """The forum's shares this member may read (``shares_q`` through a key subquery, so a
    share with several receivers is one row)."""
    visible = Share.objects.filter(forum_id=access.forum_id).filter(access.shares_q()).values("pk")
    return (
        Share.objects.filter(pk__in=visible)
        .select_related("listing__person", "group", "basis", "from_organisation", "proposed_by", "decided_by")
        .prefetch_related("recipients")
    )


def person_label(access: TrefasAccess, listing: Listing) -> str:
    """A listed person's name as this member may see it (a protected identity only by the
    organisation whose record it is)."""
    if access.sees_identity(listing, listing.person):
        return listing.person.full_name
    return _("Protected identity")


def _row(access: TrefasAccess, share: Share) -> ShareRow:
    if share.listing is not None:
        about, red = person_label(access, share.listing), share.listing.rating == Rating.RED
    else:
        assert share.group is not None
        about, red = share.group.name, False
    return ShareRow(share=share, about=about, recipients=sorted(o.name for o in share.recipients.all()), red=red)


def _rows(access: TrefasAccess, qs: QuerySet[Share]) -> tuple[list[ShareRow], bool]:
    shares = list(qs[: LIST_LIMIT + 1])
    return [_row(access, s) for s in shares[:LIST_LIMIT]], len(shares) > LIST_LIMIT


def shares_page(*, actor: User, access: TrefasAccess, forum: Forum) -> SharesPage:
    """The shares page: for the owning organisation's jurist the queue of its proposed
    shares (oldest first); the own organisation's shares in every state; the shares other
    organisations made visible to the viewer's. Audited TREFAS_SHARES_VIEWED with counts
    (flagged ``red`` when a red-rated person is among them)."""
    page = SharesPage(is_reviewer=access.may(TrefasAction.REVIEW_SHARE))
    base = _base(access)
    if page.is_reviewer:
        page.queue, page.queue_more = _rows(
            access,
            base.filter(from_organisation_id=access.viewer_org_id, state=ShareState.PROPOSED)
            .order_by("proposed_at", "pk"),
        )
    own = base.filter(from_organisation_id=access.viewer_org_id)
    if page.is_reviewer:
        own = own.exclude(state=ShareState.PROPOSED)  # those are in the queue above
    page.own, page.own_more = _rows(access, own.order_by("-proposed_at", "-pk"))
    page.received, page.received_more = _rows(
        access,
        base.exclude(from_organisation_id=access.viewer_org_id).order_by("-decided_at", "-pk"),
    )
    detail: dict[str, object] = {
        "forum": forum.pk, "queue": len(page.queue), "own": len(page.own), "received": len(page.received),
    }
    if any(r.red for r in (*page.queue, *page.own, *page.received)):
        detail["red"] = True
    audit.record(
        action=Action.TREFAS_SHARES_VIEWED, actor=actor, subject_type="trefas_forum", subject_id=forum.pk,
        subject_organisation_id=access.viewer_org_id, detail=detail,
    )
    return page


def share_for_actor(*, access: TrefasAccess, share_id: int) -> Share:
    """One share of the forum the member may read; 404 for any other (another forum's, or
    another organisation's that is not visible to the viewer)."""
    return policy.get_or_404(_base(access), pk=share_id)


def share_row(*, access: TrefasAccess, share: Share) -> ShareRow:
    return _row(access, share)


def listing_for_share(*, actor: User, access: TrefasAccess, listing_id: int) -> tuple[Listing, str]:
    """A person on the forum's list (the list is the forum's common picture) for the share
    form, with the name as this member may see it; 404 for anyone not on it. Audited."""
    listing = policy.get_or_404(
        Listing.objects.select_related("person").filter(forum_id=access.forum_id, removed_at__isnull=True),
        pk=listing_id,
    )
    detail: dict[str, object] = {"forum": access.forum_id, "listing": listing.pk, "form": "share"}
    if listing.rating == Rating.RED:
        detail["red"] = True
    audit.record(
        action=Action.TREFAS_SHARES_VIEWED, actor=actor, subject_type="trefas_listing", subject_id=listing.pk,
        subject_organisation_id=listing.nominated_by_organisation_id, detail=detail,
    )
    return listing, person_label(access, listing)


def group_for_share(*, access: TrefasAccess, group_id: int) -> Group:
    """A group of the forum the member may see (``groups_q``); 404 otherwise."""
    visible = Group.objects.filter(forum_id=access.forum_id).filter(access.groups_q()).values("pk")
    return policy.get_or_404(Group.objects.filter(pk__in=visible), pk=group_id)


def share_bases() -> QuerySet[LegalBasis]:
    """The statutory bases a share may cite: the catalogue's active statutes."""
    return legal_bases(statute_only=True)


def share_recipients(*, access: TrefasAccess) -> QuerySet[Organisation]:
    """The forum's active member organisations other than the viewer's own."""
    members = ForumOrganisation.objects.filter(forum_id=access.forum_id, active=True).values("organisation_id")
    return Organisation.objects.filter(pk__in=members).exclude(pk=access.viewer_org_id).order_by("name")
