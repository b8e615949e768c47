"""System checks that refuse unsafe configurations at start-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


def production_settings() -> bool:
    """True under samverkan.settings.production, or any settings that declare
    SAMVERKAN_PRODUCTION = True (e.g. a site-specific module importing production)."""
    if getattr(settings, "SAMVERKAN_PRODUCTION", False):
        return True
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    return module.endswith(".production")


def demo_mode_active() -> bool:
    """Demo shortcuts are on: SAMVERKAN_DEMO_MODE set and not under production settings
    (a second lock behind the system check, for servers that skip checks at start)."""
    return bool(getattr(settings, "SAMVERKAN_DEMO_MODE", False)) and not production_settings()


@register(Tags.security, deploy=False)
def demo_mode_never_in_production(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Demo shortcuts (showing one-time codes to demo users) must never run in production."""
    if getattr(settings, "SAMVERKAN_DEMO_MODE", False) and production_settings():
        return [
            Error(
                "SAMVERKAN_DEMO_MODE is on under production settings.",
                hint="Demo mode shows demo users their one-time codes; it is for `make demo` only.",
                id="samverkan.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def two_factor_required_stack(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for name in (
        "django_otp.middleware.OTPMiddleware",
        "samverkan.access.middleware.FailClosedMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        if name not in settings.MIDDLEWARE:
            errors.append(Error(f"{name} is missing from MIDDLEWARE.", id="samverkan.E002"))
    return errors
