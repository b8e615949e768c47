"""Reading jobs: a user sees the jobs they started; system admins see all."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.jobs.models import Job


def jobs_visible_to(*, user: Any) -> QuerySet[Job]:
    if policy.has_permission(user, Permission.JOBS_VIEW_ALL):
        return Job.objects.all()
    return Job.objects.filter(created_by_id=user.pk)


def get_job_for_user(*, user: Any, public_id: uuid.UUID) -> Job:
    """One job the user may see; 404 otherwise."""
    return policy.get_or_404(jobs_visible_to(user=user), public_id=public_id)  # type: ignore[no-any-return]


def latest_job(*, kind: str) -> Job | None:
    return Job.objects.filter(kind=kind).order_by("-created_at").first()
