"""The list: people at acute risk of lethal violence, rated green / yellow / red, and the
police's groups (networks) with their conflicts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, Organisation
from samverkan.people.models import Person

from .forums import Forum


class Rating(models.TextChoices):
    GREEN = "green", _("Green: calm for now")
    YELLOW = "yellow", _("Yellow: lower risk")
    RED = "red", _("Red: acute risk of killing or being killed")


RATING_ORDER = {Rating.RED: 0, Rating.YELLOW: 1, Rating.GREEN: 2}


class Listing(models.Model):
    """A person on a forum's list. ``person`` is the nominating organisation's own record
    (people: one record per organisation); ``source_reference`` points into that
    organisation's own files (e.g. a report number) and is shown only to it: the
    intelligence itself never enters the forum except as an approved share."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="listings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trefas_listings")
    nominated_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nomination_reason = models.CharField(_("why on the list (in words)"), max_length=300)
    source_reference = models.CharField(_("reference in our own records"), max_length=120, blank=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    listed_at = models.DateTimeField(auto_now_add=True)
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices)
    rating_reason = models.CharField(_("reason for the rating"), max_length=500)
    rating_set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating_set_at = models.DateTimeField()
    # The last time the rating was set or confirmed unchanged (a review).
    rating_reviewed_at = models.DateTimeField()
    # The last forum meeting that discussed the person.
    last_discussed_on = models.DateField(null=True, blank=True)
    # Set by an incident, by the two-cycle rule or by hand; cleared by the next review.
    review_requested_at = models.DateTimeField(null=True, blank=True)
    review_request_reason = models.CharField(max_length=40, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "person"], condition=models.Q(removed_at__isnull=True),
                name="trefas_listed_once_per_forum",
            ),
        ]
        indexes = [
            models.Index(fields=["forum", "removed_at", "rating"], name="trefas_listing_forum"),
        ]

    def __str__(self) -> str:
        return f"Listing {self.pk}"


class RatingChange(models.Model):
    """The rating history: every setting and every confirmation of a rating."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="rating_changes")
    rating = models.CharField(max_length=8, choices=Rating.choices)
    previous_rating = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    reason = models.CharField(max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["listing", "set_at"], name="trefas_rating_listing")]

    def __str__(self) -> str:
        return f"RatingChange {self.pk}"


class Group(models.Model):
    """A criminal network as the police record it. Owned by a police organisation; others
    see it only through an approved share about it."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="groups")
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"Group {self.pk}"


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="group_memberships")
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"GroupMembership {self.pk}"


class ConflictStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")


class Conflict(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="conflicts")
    group_a = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    group_b = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=ConflictStatus.choices)
    since = models.DateField(_("since"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(group_a=models.F("group_b")), name="trefas_conflict_two_groups"),
        ]

    def __str__(self) -> str:
        return f"Conflict {self.pk}"
