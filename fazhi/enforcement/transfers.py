"""两法衔接: every write to a transfer of a case to the police (公安机关), and who reaches which transfer.

- The body's own staff (its officers with an account, its unit head and liaison officers; see
  fazhi.enforcement.access) record the transfer from a case, the police's reply (accepted: a criminal case was
  opened, 立案; not accepted, 不予立案, with the reason given) and the outcome; the administrator too.
- The office (coordinators of the body's region or a region above it) and those regions' leaders read every
  transfer there, and the office watches the list of transfers still without a reply after
  `settings.FAZHI_TRANSFER_REPLY_DAYS` calendar days (default 30). DOMAIN.md names no statutory period for the
  reply, so this is only the office's follow-up line, a setting rather than a legal deadline.
- Anybody else, another region's office included, gets 404.

Each write runs in a transaction and the reply locks the row, so two people recording a reply at once produce
one reply and one error. The audit trail records each save (fazhi.audit's signal handlers).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.orgs.access import get_or_404, path_q, scope_for

from . import access
from .models import Case, CaseTransfer, CaseTransferQuerySet, TransferStatus

SHA256 = re.compile(r"[0-9a-f]{64}")


def reply_days() -> int:
    """After how many days without a reply a transfer shows on the office's list."""
    days: int = settings.FAZHI_TRANSFER_REPLY_DAYS
    return days


# --- who reaches what ---------------------------------------------------------------------------------------


def staff_unit_ids(user: Any) -> set[int]:
    """The bodies where the user works: as unit head or liaison, or as the officer linked to the account."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    found = set(scope_for(user).unit_ids)
    officer = access.officer_for(user)
    if officer is not None:
        found.add(officer.unit_id)
    return found


def office_paths(user: Any) -> tuple[str, ...]:
    scope = scope_for(user)
    return (*scope.managed_paths, *scope.leader_paths)


def transfers_for(user: Any) -> CaseTransferQuerySet:
    if scope_for(user).is_admin:
        return CaseTransfer.objects.all()
    return CaseTransfer.objects.filter(
        Q(unit_id__in=staff_unit_ids(user)) | path_q(office_paths(user), "unit__region__path")
    )


def can_write(user: Any, transfer: CaseTransfer) -> bool:
    if user is None:
        return True
    return scope_for(user).is_admin or transfer.unit_id in staff_unit_ids(user)


def get_transfer_for_user(user: Any, pk: Any, write: bool = False) -> CaseTransfer:
    transfer: CaseTransfer = get_or_404(transfers_for(user).select_related("case", "unit__region"), pk)
    if write and not can_write(user, transfer):
        raise PermissionDenied
    return transfer


# --- writes -------------------------------------------------------------------------------------------------


def clean_hashes(hashes: Iterable[str]) -> list[str]:
    """SHA-256 hex digests, lower-cased, each once, in the order given."""
    found: list[str] = []
    for raw in hashes:
        value = raw.strip().lower()
        if not value:
            continue
        if not SHA256.fullmatch(value):
            raise ValidationError(
                {"documents_sha256": _("“%(value)s” is not a SHA-256 digest (64 hexadecimal characters).")
                 % {"value": raw.strip()[:80]}}
            )  # fmt: skip
        if value not in found:
            found.append(value)
    return found


def _check_day(day: datetime.date, field: str, not_before: datetime.date, before_message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date is in the future: enter the day it happened.")})
    if day < not_before:
        raise ValidationError({field: before_message})


@transaction.atomic
def record_transfer(
    user: Any,
    case: Case,
    *,
    transferred_on: datetime.date,
    receiving_authority: str,
    suspected_offence: str,
    facts: str = "",
    documents_sha256: Iterable[str] = (),
) -> CaseTransfer:
    """Record that the body sent `case` to the police as a suspected crime."""
    if not access.can_work(user, case):
        raise PermissionDenied
    _check_day(
        transferred_on,
        "transferred_on",
        case.registered_on,
        _("The case was registered on %(day)s: a transfer cannot come before it.")
        % {"day": case.registered_on},
    )
    transfer = CaseTransfer(
        case=case,
        unit_id=case.unit_id,
        transferred_on=transferred_on,
        receiving_authority=" ".join(receiving_authority.split()),
        suspected_offence=" ".join(suspected_offence.split()),
        facts=facts.strip(),
        documents_sha256=clean_hashes(documents_sha256),
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transfer.full_clean()
    transfer.save()
    return transfer


@transaction.atomic
def record_reply(
    user: Any, transfer: CaseTransfer, *, accepted: bool, replied_on: datetime.date, reason: str = ""
) -> CaseTransfer:
    """Record the police's answer: accepted (立案) or not accepted (不予立案, with the reason they gave)."""
    transfer = CaseTransfer.objects.select_for_update().select_related("unit").get(pk=transfer.pk)
    if not can_write(user, transfer):
        raise PermissionDenied
    if transfer.status != TransferStatus.SENT:
        raise ValidationError(_("The police's reply has already been recorded."))
    reason = reason.strip()
    if not accepted and not reason:
        raise ValidationError(
            {"reason": _("Write the reason the police gave for not opening a criminal case.")}
        )
    _check_day(
        replied_on,
        "replied_on",
        transfer.transferred_on,
        _("The case was transferred on %(day)s: the reply cannot come before it.")
        % {"day": transfer.transferred_on},
    )
    transfer.status = TransferStatus.ACCEPTED if accepted else TransferStatus.REJECTED
    transfer.replied_on = replied_on
    transfer.reply_reason = reason
    transfer.save()
    return transfer


@transaction.atomic
def record_outcome(user: Any, transfer: CaseTransfer, *, outcome: str, on: datetime.date) -> CaseTransfer:
    """Record (or bring up to date) what came of the transfer after the reply: prosecuted, returned to the
    body for an administrative penalty, a 检察监督 request, and so on."""
    transfer = CaseTransfer.objects.select_for_update().select_related("unit").get(pk=transfer.pk)
    if not can_write(user, transfer):
        raise PermissionDenied
    if transfer.status == TransferStatus.SENT:
        raise ValidationError(_("Record the police's reply first."))
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": _("Describe the outcome.")})
    assert transfer.replied_on is not None
    _check_day(on, "outcome_on", transfer.replied_on, _("The outcome cannot come before the police's reply."))
    transfer.outcome = outcome
    transfer.outcome_on = on
    transfer.save()
    return transfer


# --- the office's list --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    transfer: CaseTransfer
    days: int  # calendar days since the transfer


def awaiting_reply(
    transfers: CaseTransferQuerySet, today: datetime.date, days: int | None = None
) -> list[Waiting]:
    """Transfers still without a reply `days` (default: the setting) or more days after they were sent,
    oldest first."""
    limit = reply_days() if days is None else days
    rows = (
        transfers.awaiting_reply()
        .filter(transferred_on__lte=today - datetime.timedelta(days=limit))
        .select_related("case", "unit__region")
        .order_by("transferred_on", "pk")
    )
    return [Waiting(row, (today - row.transferred_on).days) for row in rows]
