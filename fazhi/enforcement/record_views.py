"""Downloading a case's verifiable record from the case page: its audit bundle (case_record.py).

The bundle is streamed, gzip-compressed, as it is read from the chain: the download starts at once and the
server holds one page of entries at a time, however long the chain between the case's first entry and the
head. `fazhi audit verify-bundle FILE` (or `python -m fazhi.audit.proof FILE`) checks the file anywhere.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from fazhi.audit.bundle import BundleError
from fazhi.orgs.access import role_required

from . import access, case_record


@role_required()
@require_safe
def case_bundle(request: HttpRequest, pk: int) -> HttpResponseBase:
    case = access.get_case_for_user(request.user, pk)
    if not access.can_export_record(request.user, case):
        raise PermissionDenied
    try:
        prepared = case_record.prepare(case)
    except BundleError as error:
        messages.error(request, str(error))
        return redirect("enforcement:case_detail", pk=case.pk)
    response = StreamingHttpResponse(prepared.gzipped(), content_type="application/gzip")
    response["Content-Disposition"] = content_disposition_header(True, case_record.filename(case))
    # Party data and the names of those who recorded each step: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
