"""The home page of each role, and the health check."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fazhi.audit.models import AuditHead
from fazhi.enforcement.access import officer_for
from fazhi.orgs import access
from fazhi.orgs.models import UNIT_FLAGS, Role, Unit, UnitKind
from fazhi.orgs.views import member_counts
from fazhi.supervision.dashboard_views import home_panels


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    role = scope.home_role
    if role == Role.ADMIN:
        return _admin_home(request)
    if role == Role.COORDINATOR:
        return _region_home(request, "home/coordinator.html", scope.managed_paths)
    if role == Role.LEADER:
        return _region_home(request, "home/leader.html", scope.read_paths)
    if role in (Role.UNIT_HEAD, Role.LIAISON):
        return _unit_home(request, scope.unit_ids)
    # An enforcement officer needs no role in the directory (the officer register links the account): their
    # body's cases are their desk.
    if officer_for(request.user) is not None:
        return redirect("enforcement:case_list")
    return render(request, "home/no_role.html")


def _kind_pie(units: Any) -> dict[str, Any]:
    labels = dict(UnitKind.choices)
    counts = Counter(unit.kind for unit in units)
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c}"},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "65%"],
                "center": ["50%", "45%"],
                "data": [{"name": str(labels[kind]), "value": n} for kind, n in sorted(counts.items())],
            }
        ],
    }


def _region_home(request: HttpRequest, template: str, paths: tuple[str, ...]) -> HttpResponse:
    regions = list(access.readable_regions(request.user).filter(path__in=paths).order_by("path"))
    panels = []
    for region in regions:
        units = list(access.readable_units(request.user).in_subtree(region).active().select_related("region"))
        groups = list(
            access.readable_groups(request.user)
            .filter(region=region)
            .select_related("region")
            .prefetch_related(Prefetch("members", queryset=Unit.objects.only("pk")))
        )
        counts = member_counts(groups, units)
        by_child: Counter[str] = Counter()
        children = {child.pk: child.name for child in region.children.all()}
        for unit in units:
            ids = unit.region.ancestor_ids
            child_name = next((children[i] for i in ids if i in children), region.name)
            by_child[child_name] += 1
        flags = {str(label): sum(1 for u in units if getattr(u, name)) for name, label in UNIT_FLAGS.items()}
        panels.append(
            {
                "region": region,
                "unit_count": len(units),
                "flags": flags,
                "groups": [(group, counts[group.pk]) for group in groups],
                "kind_chart": _kind_pie(units),
                "area_chart": {
                    "tooltip": {},
                    "grid": {"left": 8, "right": 8, "top": 16, "bottom": 8, "containLabel": True},
                    "xAxis": {"type": "value", "minInterval": 1},
                    "yAxis": {"type": "category", "data": list(by_child.keys())},
                    "series": [{"type": "bar", "name": _("units"), "data": list(by_child.values())}],
                },
                "staffed": access.readable_assignments(request.user)
                .filter(unit__in=[u.pk for u in units], role=Role.LIAISON)
                .values("unit")
                .distinct()
                .count(),
            }
        )
    context = {
        "panels": panels,
        "recent": access.readable_audit(request.user).order_by("-seq")[:10],
        **home_panels(request),
    }
    return render(request, template, context)


def _unit_home(request: HttpRequest, unit_ids: tuple[int, ...]) -> HttpResponse:
    units = list(access.readable_units(request.user).filter(pk__in=unit_ids).select_related("region"))
    cards = []
    for unit in units:
        cards.append(
            {
                "unit": unit,
                "people": access.unit_colleagues(request.user, unit),
                "aliases": unit.aliases.order_by("name"),
            }
        )
    context = {"cards": cards, "current_year": timezone.localdate().year, **home_panels(request)}
    return render(request, "home/unit.html", context)


def _admin_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    regions = access.readable_regions(user)
    by_level = dict(regions.order_by().values("level").annotate(n=Count("pk")).values_list("level", "n"))
    roles = access.readable_assignments(user).order_by().values("role").annotate(n=Count("pk"))
    context = {
        "region_count": sum(by_level.values()),
        "by_level": by_level,
        "unit_count": access.readable_units(user).active().count(),
        "user_count": access.managed_people(user).filter(is_active=True).count(),
        "role_counts": {str(Role(role).label): n for role, n in roles.values_list("role", "n")},
        "head": AuditHead.objects.filter(pk=1).first(),
        "top_regions": regions.filter(parent__isnull=True).order_by("name"),
    }
    return render(request, "home/admin.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
