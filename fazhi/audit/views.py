"""Reading the audit trail: administrators see all of it, coordinators what concerns their regions."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.orgs import access
from fazhi.orgs.models import Role

from . import chain

PAGE_SIZE = 50


@access.role_required(Role.COORDINATOR)
def entry_list(request: HttpRequest) -> HttpResponse:
    entries = access.readable_audit(request.user)
    target = request.GET.get("target", "")
    if ":" in target:
        target_type, target_id = target.split(":", 1)
        entries = entries.filter(target_type=target_type, target_id=target_id)
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(actor_name=actor)
    page = Paginator(entries.order_by("-seq"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "target": target,
        "action": action,
        "actor": actor,
        "querystring": params.urlencode(),
        "can_verify": access.scope_for(request.user).is_admin,
    }
    return render(request, "audit/entry_list.html", context)


@access.role_required(Role.COORDINATOR)
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = access.get_or_404(access.readable_audit(request.user), seq)
    return render(request, "audit/entry_detail.html", {"entry": entry, "changes": entry.changes_dict()})


@require_POST
@access.role_required(Role.ADMIN)
def verify(request: HttpRequest) -> HttpResponse:
    result = chain.verify()
    if result.ok:
        messages.success(
            request,
            _("The audit chain checks out: %(count)d entries, head #%(seq)d.")
            % {"count": result.checked, "seq": result.head_seq},
        )
    else:
        messages.error(request, _("The audit chain is broken: %(reason)s.") % {"reason": result.reason})
    return redirect("audit:entry_list")
