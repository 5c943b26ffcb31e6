"""Public pages: read-only, and only what is published. Nothing here needs an account."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.orgs import access


def index(request: HttpRequest) -> HttpResponse:
    # The regions served are public facts (their names); everything else appears here once it is published.
    regions = access.public_regions().order_by("path")
    return render(request, "portal/index.html", {"regions": regions})
