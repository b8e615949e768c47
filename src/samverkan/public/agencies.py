"""What each agency in an action group can help a resident with: short, plain texts,
translated like every other string (locale/<language>/LC_MESSAGES/django.po)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HELP_BY_AGENCY: dict[str, Promise] = {
    "polismyndigheten": _(
        "Report a crime, get advice if you feel unsafe, and talk to a police officer."
    ),
    "skatteverket": _(
        "Questions about population registration, addresses, identity cards and taxes."
    ),
    "arbetsformedlingen": _("Help to find a job, training or an internship."),
    "ekobrottsmyndigheten": _(
        "Tell us about serious financial crime, for example companies that cheat."
    ),
    "tullverket": _("Tell us about smuggling of drugs, weapons or other goods."),
    "forsakringskassan": _("Questions about benefits, and tips about benefits paid out wrongly."),
    "kriminalvarden": _("Support for people who have served a sentence and want to leave crime."),
    "sakerhetspolisen": _("Tell us about violent extremism or threats against our democracy."),
    "kustbevakningen": _("Help with safety and crime at sea and along the coast."),
    "migrationsverket": _("Questions about residence permits, asylum and citizenship."),
    "aklagarmyndigheten": _("Information about how a crime is investigated and taken to court."),
}

HELP_BY_KIND: dict[str, Promise] = {
    "municipal": _("Help and support from the city, for example social services."),
    "district_administration": _("Help and support from the city, for example social services."),
    "police_area": _(
        "Report a crime, get advice if you feel unsafe, and talk to a police officer."
    ),
    "region": _("Questions about health care."),
}

DEFAULT_HELP: Promise = _("Ask the staff on site what this agency can help you with.")


def help_text(*, short_code: str, kind: str) -> str:
    """The help text for an organisation, in the active language."""
    return str(HELP_BY_AGENCY.get(short_code) or HELP_BY_KIND.get(kind) or DEFAULT_HELP)
