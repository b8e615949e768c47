"""The forum's actions: the viewer's organisation's first, then the forum's other open
ones; a member marks their own organisation's action done, cancelled or back to do."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import StaleEdit
from samverkan.trefas.decision import TrefasAction
from samverkan.trefas.forms.meetings import ActionStatusForm
from samverkan.trefas.selectors.actions import action_for_forum, actions_overview
from samverkan.trefas.selectors.forums import forum_for_actor
from samverkan.trefas.services.actions import action_set_status


@require_permission(Permission.TREFAS_VIEW)
@require_GET
def action_list(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    overview = actions_overview(actor=request.user, forum=forum, access=access)
    return render(request, "trefas/actions.html", {"forum": forum, "access": access, "overview": overview})


@require_permission(Permission.TREFAS_VIEW)
@require_POST
def action_status(request: AuthenticatedHttpRequest, forum_id: int, action_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    action = action_for_forum(forum=forum, action_id=action_id)
    access.require(TrefasAction.UPDATE_ACTION, action)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("trefas:actions", forum.pk)
    try:
        action_set_status(actor=request.user, access=access, action=action, status=form.cleaned_data["status"],
                          expected_version=form.cleaned_data["version"])
    except StaleEdit:
        messages.error(request, _("Someone changed the action after you opened the page. Look at it again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The action is updated."))
    return redirect("trefas:actions", forum.pk)
