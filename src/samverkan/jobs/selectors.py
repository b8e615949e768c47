"""Reading jobs: a user sees the jobs they started; holders of system:job:view see all."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.jobs.models import Job


def jobs_visible_to(*, user: Any) -> QuerySet[Job]:
    """Jobs ``user`` may see: all with system:job:view, else only their own; none for
    anonymous or inactive users (system jobs with no creator are never "own")."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Job.objects.none()
    if policy.has_permission(user, Permission.JOBS_VIEW_ALL):
        return Job.objects.all()
    return Job.objects.filter(created_by_id=user.pk)


def get_job_for_user(*, user: Any, public_id: uuid.UUID) -> Job:
    """One job the user may see; 404 otherwise (same answer as a missing job)."""
    return policy.get_or_404(jobs_visible_to(user=user), public_id=public_id)


def latest_job(*, user: Any, kind: str) -> Job | None:
    """The newest job of ``kind`` that ``user`` may see, or None."""
    return jobs_visible_to(user=user).filter(kind=kind).order_by("-created_at").first()
