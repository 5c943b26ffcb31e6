"""The JSON API for enforcement cases (described in openapi.json, served at `enforcement_api:openapi`).

Authentication: a browser client uses its Django session (and sends the CSRF token on POST, as forms do); a
machine client sends ``Authorization: Bearer <token>``, a token from `fazhi api-token --user NAME`. The
token is signed with SECRET_KEY (django.core.signing), carries the account id, its expiry and a fingerprint of
the account's password hash: it needs no table, and changing the password (or deactivating the account, or
rotating SECRET_KEY) revokes every token of the account. It cannot be revoked one by one.

Access goes through fazhi.enforcement.access like the case pages: a case is read by the body's own people
and by the office and leaders above it, and written (POST) only by the body's own officers, unit head and
liaison officers (the legal review step by its legal reviewers); others get 404 on read and 403 on write.

POSTed cases pass the same checks as the importer (fazhi.enforcement.case_import), hence the same guards as
the case page. Every error is JSON: ``{"error": {"code": "…", "message": "…", "problems": […]}}`` with a
stable English code and a message in the user's language.
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from fazhi.audit.recorder import acting_as
from fazhi.orgs.models import User

from . import access, case_import
from .models import Case, CaseEvent, CaseKind, CaseStatus, CaseStep, LegalReview

TOKEN_SALT = "fazhi.enforcement.api"  # noqa: S105 (a signing namespace, not a secret)
DEFAULT_TOKEN_DAYS = 30
MAX_TOKEN_DAYS = 366
MAX_BATCH = 1000  # cases in one POST
DEFAULT_LIMIT, MAX_LIMIT = 100, 500
MASK = "******"
OPENAPI_PATH = Path(__file__).with_name("openapi.json")


# --- tokens -------------------------------------------------------------------------------------------------


def _fingerprint(user: User) -> str:
    return salted_hmac(TOKEN_SALT, user.password, algorithm="sha256").hexdigest()[:16]


def make_token(user: User, days: int = DEFAULT_TOKEN_DAYS) -> str:
    days = max(1, min(days, MAX_TOKEN_DAYS))
    expires = int(time.time()) + days * 86400
    return signing.dumps(
        {"u": user.pk, "e": expires, "p": _fingerprint(user)}, salt=TOKEN_SALT, compress=True
    )


def user_for_token(token: str) -> User | None:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=MAX_TOKEN_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or int(payload.get("e", 0)) < time.time():
        return None
    user_id = payload.get("u")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or payload.get("p") != _fingerprint(user):
        return None
    return user


# --- errors and the wrapper ---------------------------------------------------------------------------------


def error(status: int, code: str, message: str, problems: list[dict[str, Any]] | None = None) -> JsonResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if problems is not None:
        body["problems"] = problems
    response = JsonResponse({"error": body}, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fazhi"'
    return response


def _ok(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


class _ApiError(Exception):
    def __init__(self, response: JsonResponse) -> None:
        self.response = response


def api_view(*methods: str) -> Callable[[Callable[..., JsonResponse]], Callable[..., HttpResponse]]:
    """Authenticate (bearer token or session), check the method and CSRF, attribute writes, map errors."""

    def decorate(view: Callable[..., JsonResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # checked below for session clients only: a bearer token is not sent by browsers
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error(405, "method_not_allowed", _("This address does not accept this method."))
                response["Allow"] = ", ".join(methods)
                return response
            header = request.headers.get("Authorization", "")
            if header[:7].lower() == "bearer ":
                user = user_for_token(header[7:].strip())
                if user is None:
                    return error(
                        401, "invalid_token", _("The token is invalid or has expired: ask for a new one.")
                    )
                request.user = user
            elif not request.user.is_authenticated:
                request.user = AnonymousUser()
                return error(
                    401, "not_authenticated", _("Sign in, or send a token in the Authorization header.")
                )
            elif request.method not in ("GET", "HEAD", "OPTIONS"):
                rejected = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, view, (), {})
                if rejected is not None:
                    return error(
                        403, "csrf_failed", _("The CSRF check failed: reload the page and try again.")
                    )
            try:
                with acting_as(request.user, "api", request.META.get("REMOTE_ADDR", "")):
                    return view(request, *args, **kwargs)
            except _ApiError as problem:
                return problem.response
            except Http404:
                return error(404, "not_found", _("No such case, or you may not see it."))
            except PermissionDenied:
                return error(403, "forbidden", _("You may not do this."))

        return wrapped

    return decorate


# --- serialising --------------------------------------------------------------------------------------------


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def case_summary(case: Case, can_work: bool) -> dict[str, Any]:
    return {
        "id": case.pk,
        "unit": case.unit_id,
        "unit_name": case.unit.name,
        "number": case.number,
        "kind": case.kind,
        "status": case.status,
        "is_major": case.is_major,
        "power": case.power.code if case.power else None,
        "cause": case.cause,
        "party_name": case.party_name,
        "party_type": case.party_type,
        "party_id_number": case.party_id_number if can_work else (MASK if case.party_id_number else ""),
        "party_phone": case.party_phone if can_work else (MASK if case.party_phone else ""),
        "party_address": case.party_address,
        "registered_on": _date(case.registered_on),
        "decided_on": _date(case.decided_on),
        "closed_on": _date(case.closed_on),
        "penalty_amount": str(case.penalty_amount) if case.penalty_amount is not None else None,
    }


def case_detail_data(case: Case, can_work: bool) -> dict[str, Any]:
    events = CaseEvent.objects.filter(case=case).prefetch_related("officers").order_by("on", "pk")
    reviews = LegalReview.objects.filter(case=case).select_related("reviewer").order_by("on", "pk")
    return {
        **case_summary(case, can_work),
        "discretion_standard": case.discretion_standard.circumstance if case.discretion_standard else None,
        "discretion_reason": case.discretion_reason,
        "investigators": sorted(o.certificate_number for o in case.investigators.all()),
        "events": [
            {
                "step": e.step,
                "on": e.on.isoformat(),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "officers": sorted(o.certificate_number for o in e.officers.all()),
                "notes": e.notes,
                "evidence_sha256": e.evidence_sha256,
            }
            for e in events
        ],
        "legal_reviews": [
            {
                "reviewer": r.reviewer.certificate_number,
                "result": r.result,
                "on": r.on.isoformat(),
                "opinion": r.opinion,
            }
            for r in reviews
        ],
    }


# --- views --------------------------------------------------------------------------------------------------

_FILTERS = {"unit", "kind", "status", "major", "number", "registered_from", "registered_to", "after", "limit"}


def _int(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    text = request.GET.get(name)
    if text in (None, ""):
        return default
    if not text.isdigit():
        raise _ApiError(error(400, "bad_filter", _("“%(name)s” must be a whole number.") % {"name": name}))
    return int(text)


def _day(request: HttpRequest, name: str) -> datetime.date | None:
    text = request.GET.get(name)
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise _ApiError(
            error(400, "bad_filter", _("“%(name)s” must be a date such as 2025-01-31.") % {"name": name})
        ) from None


def _choice(request: HttpRequest, name: str, choices: list[str]) -> str | None:
    text = request.GET.get(name)
    if text and text not in choices:
        raise _ApiError(
            error(400, "bad_filter", _("“%(name)s” must be one of: %(choices)s.")
                  % {"name": name, "choices": ", ".join(choices)})
        )  # fmt: skip
    return text or None


@api_view("GET", "POST")
def cases(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _post_cases(request)
    unknown = set(request.GET) - _FILTERS
    if unknown:
        raise _ApiError(
            error(400, "bad_filter", _("Unknown filter: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        )
    if not access.has_case_reach(request.user):
        raise PermissionDenied
    rows = access.cases_for(request.user).select_related("unit", "power").order_by("pk")
    unit = _int(request, "unit")
    if unit is not None:
        rows = rows.filter(unit_id=unit)
    kind = _choice(request, "kind", list(CaseKind.values))
    if kind:
        rows = rows.filter(kind=kind)
    status = _choice(request, "status", list(CaseStatus.values))
    if status:
        rows = rows.filter(status=status)
    major = _choice(request, "major", ["true", "false"])
    if major:
        rows = rows.filter(is_major=major == "true")
    if request.GET.get("number"):
        rows = rows.filter(number=request.GET["number"])
    start, end = _day(request, "registered_from"), _day(request, "registered_to")
    if start:
        rows = rows.filter(registered_on__gte=start)
    if end:
        rows = rows.filter(registered_on__lte=end)
    after = _int(request, "after")
    if after is not None:
        rows = rows.filter(pk__gt=after)
    limit = min(max(_int(request, "limit", DEFAULT_LIMIT) or 1, 1), MAX_LIMIT)
    page = list(rows[: limit + 1])
    workable = access._own_unit_ids(request.user)
    admin = access.scope_for(request.user).is_admin
    items = [case_summary(c, admin or c.unit_id in workable) for c in page[:limit]]
    return _ok({"results": items, "next_after": items[-1]["id"] if len(page) > limit else None})


def _post_cases(request: HttpRequest) -> JsonResponse:
    if len(request.body) > settings.FAZHI_UPLOAD_MAX_BYTES:
        raise _ApiError(error(413, "too_large", _("The request is too large: send fewer cases at a time.")))
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _ApiError(error(400, "bad_json", _("The request body is not valid UTF-8 JSON."))) from None
    batch = isinstance(body, dict) and "cases" in body
    objects = body["cases"] if batch else [body]
    if not isinstance(objects, list) or not objects or len(objects) > MAX_BATCH:
        raise _ApiError(
            error(400, "bad_request", _("Send one case, or {\"cases\": [...]} with 1 to %(limit)d cases.")
                  % {"limit": MAX_BATCH})
        )  # fmt: skip
    user = request.user
    bodies = {b.pk: b for b in access.workable_bodies(user)}
    for value in objects:
        if not isinstance(value, dict):
            continue
        unit_id = value.get("unit")
        if isinstance(unit_id, int) and unit_id not in bodies:
            raise PermissionDenied
        if isinstance(unit_id, int):
            stub = Case(unit=bodies[unit_id])
            for event in value.get("events") or []:
                step = event.get("step") if isinstance(event, dict) else None
                if step in CaseStep.values and not access.can_take(user, stub, step):
                    raise PermissionDenied
    result = case_import.import_case_objects(objects, user, set(bodies))
    if not result.ok:
        problems = [
            {"item": int(p.sheet.split("]")[0][6:]) if p.sheet.startswith("cases[") else None,
             "case": p.sheet.split("] ", 1)[1] if "] " in p.sheet else "", "field": p.column,
             "message": p.message}
            for p in result.errors
        ]  # fmt: skip
        raise _ApiError(
            error(422, "invalid_cases", _("Problems found: %(total)s. Nothing was saved.")
                  % {"total": result.error_count}, problems)
        )  # fmt: skip
    return _ok({"created": result.created, "skipped": result.skipped, "ids": result.case_ids}, status=201)


@api_view("GET")
def case(request: HttpRequest, pk: int) -> JsonResponse:
    found = access.get_case_for_user(request.user, pk)
    return _ok(case_detail_data(found, access.can_work(request.user, found)))


def openapi(request: HttpRequest) -> HttpResponse:
    """The API's description; public, like any API documentation."""
    return HttpResponse(OPENAPI_PATH.read_bytes(), content_type="application/json")
