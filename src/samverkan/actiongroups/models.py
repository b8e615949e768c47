"""Area action groups (myndighetsgemensamma aktionsgrupper), their premises, and the
city's outreach to each agency (motion KS 2019/1899: two experts from each of eleven
agencies in every vulnerable area, active around the clock)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, Organisation, code_validator

# The eleven agencies the motion names (directory/reference_data.py short codes).
MOTION_AGENCY_CODES: tuple[str, ...] = (
    "skatteverket",
    "arbetsformedlingen",
    "ekobrottsmyndigheten",
    "tullverket",
    "forsakringskassan",
    "kriminalvarden",
    "sakerhetspolisen",
    "kustbevakningen",
    "migrationsverket",
    "polismyndigheten",
    "aklagarmyndigheten",
)
DEFAULT_POSITIONS_PER_AGENCY = 2


class GroupStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    FORMING = "forming", _("Forming")
    OPERATING = "operating", _("Operating")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


# Allowed status changes; closed is final.
GROUP_TRANSITIONS: dict[str, frozenset[str]] = {
    GroupStatus.PROPOSED: frozenset({GroupStatus.FORMING, GroupStatus.CLOSED}),
    GroupStatus.FORMING: frozenset({GroupStatus.OPERATING, GroupStatus.PAUSED, GroupStatus.CLOSED}),
    GroupStatus.OPERATING: frozenset({GroupStatus.PAUSED, GroupStatus.CLOSED}),
    GroupStatus.PAUSED: frozenset({GroupStatus.FORMING, GroupStatus.OPERATING, GroupStatus.CLOSED}),
    GroupStatus.CLOSED: frozenset(),
}


class ActionGroup(models.Model):
    """One joint agency group serving one or more areas."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(
        _("short code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Used in exports and on the command line, e.g. husby."),
    )
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), related_name="action_groups")
    status = models.CharField(
        _("status"), max_length=16, choices=GroupStatus.choices, default=GroupStatus.PROPOSED
    )
    around_the_clock = models.BooleanField(_("staffed around the clock (24/7)"), default=True)
    opens_at = models.TimeField(
        _("opens at"), null=True, blank=True, help_text=_("Only when not staffed around the clock.")
    )
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    contact_phone = models.CharField(_("telephone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_web = models.URLField(_("web page"), blank=True)
    contact_notes = models.CharField(_("other contact channels"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("action group")
        verbose_name_plural = _("action groups")

    def __str__(self) -> str:
        return self.name


class PositionRequirement(models.Model):
    """How many of an agency's experts the group needs on duty at every moment."""

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="positions")
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "agency"},
    )
    positions = models.PositiveSmallIntegerField(
        _("positions"), default=DEFAULT_POSITIONS_PER_AGENCY, validators=[MaxValueValidator(50)]
    )
    qualifications = models.JSONField(_("required qualifications"), default=list, blank=True)

    class Meta:
        ordering = ["group", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "agency"], name="one_requirement_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.agency_id}={self.positions}"


class PremisesKind(models.TextChoices):
    PERMANENT = "permanent", _("Permanent premises")
    OFFICE_MODULE = "office_module", _("Office module")


class Premises(models.Model):
    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="premises")
    address = models.CharField(_("address"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PremisesKind.choices, default=PremisesKind.PERMANENT
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("workplaces"), default=0, validators=[MaxValueValidator(500)]
    )
    description = models.TextField(
        _("description of the place for residents"), blank=True, max_length=1000,
        help_text=_(
            "In plain words: where it is and how to find the entrance, "
            "e.g. 'The blue office module next to the library in Husby centrum'."
        ),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["group", "-valid_from"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")

    def __str__(self) -> str:
        return f"premises {self.pk}"


class OutreachStatus(models.TextChoices):
    NOT_CONTACTED = "not_contacted", _("Not contacted")
    CONTACTED = "contacted", _("Contacted")
    IN_DIALOGUE = "in_dialogue", _("In dialogue")
    AGREED = "agreed", _("Agreed")
    EXPERTS_NAMED = "experts_named", _("Experts named")
    STAFFED = "staffed", _("Staffed")
    DECLINED = "declined", _("Declined")


class Outreach(models.Model):
    """The city's contact with one agency about one group."""

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="outreach")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OutreachStatus.choices,
        default=OutreachStatus.NOT_CONTACTED,
    )
    declined_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    agreed_experts = models.PositiveSmallIntegerField(
        _("agreed number of experts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(500)],
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "agency"], name="one_outreach_per_agency")
        ]

    def __str__(self) -> str:
        return f"outreach {self.group_id}:{self.agency_id} {self.status}"


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Telephone")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    LETTER = "letter", _("Letter")
    VIDEO = "video", _("Video call")
    OTHER = "other", _("Other")


class ContactLogEntry(models.Model):
    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField(_("date"))
    who = models.CharField(
        _("who"), max_length=200, help_text=_("Who took part, e.g. a role or a name.")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    summary = models.TextField(_("summary"), max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-pk"]

    def __str__(self) -> str:
        return f"contact {self.pk}"


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    LETTER = "letter", _("Letter")
    MINUTES = "minutes", _("Minutes")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


class OutreachDocument(models.Model):
    """An uploaded file (PDF or image). Kept in the database, served only through a
    guarded view: documents never sit in a web-served folder."""

    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=16, choices=DocumentKind.choices)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"document {self.pk}"
