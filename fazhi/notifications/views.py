"""The inbox: a person's messages, unread first; marking one or all read (htmx, or plain forms)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.orgs.access import role_required

from . import access, actions

PAGE_SIZE = 20


@role_required()
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(access.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@role_required()
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = actions.mark_read(access.get_notification_for_user(request.user, pk))
    if request.headers.get("HX-Request"):
        context = {"notification": notification, "unread_notifications": access.unread_count(request.user)}
        return render(request, "notifications/_item_swap.html", context)
    return redirect("notifications:inbox")


@require_POST
@role_required()
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(request.user)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        # The whole list changes (and its order): reload the page.
        response["HX-Refresh"] = "true"
        return response
    return redirect("notifications:inbox")
