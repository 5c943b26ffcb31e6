"""The append-only, hash-chained record of every write.

Each entry's hash links the digest of its own content to the hash of the entry before it (the formula is in
`proof.py`, decision 0009), so altering, deleting or reordering rows breaks the chain at that point;
`AuditHead` holds the last sequence number and hash, so cutting entries off the end is caught too. Entries
are never updated or deleted through the ORM, and on the database a trigger refuses updates (see migration
0002).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .proof import GENESIS_HASH, content_digest, link

__all__ = ["GENESIS_HASH", "AppendOnlyError", "AuditEntry", "AuditHead", "new_salt"]


def new_salt() -> str:
    return secrets.token_hex(16)


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are append-only.")


class AuditEntry(models.Model):
    # Contiguous from 1, assigned while holding the head row's lock: a gap means a deleted entry.
    seq = models.BigIntegerField(_("sequence"), primary_key=True)
    at = models.DateTimeField(_("time"))
    # A plain number, not a foreign key: the record must outlive the account it names.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=40)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    action = models.CharField(_("action"), max_length=40)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    region_id = models.BigIntegerField(_("region id"), null=True, blank=True)
    unit_id = models.BigIntegerField(_("unit id"), null=True, blank=True)
    # Canonical JSON text (sorted keys, no spaces): hashed exactly as stored, so the database's JSON type
    # cannot reformat it under us.
    changes = models.TextField(_("changes"), blank=True)
    # Random, and part of the content digest: a bundle hands out the digests of other regions' entries, and
    # without a salt a digest would confirm a guess of a short entry (a login at a known minute, say).
    salt = models.CharField(_("salt"), max_length=32, default=new_salt)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["region_id", "seq"], name="audit_region_idx"),
            models.Index(fields=["actor_id", "seq"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries are append-only.")

    def content_fields(self) -> list[Any]:
        """The values the content digest covers, in `proof.CONTENT_FIELDS` order (all but the hashes)."""
        return [
            self.seq,
            self.at.isoformat(timespec="microseconds"),
            self.actor_id,
            self.actor_name,
            self.source,
            self.ip,
            self.action,
            self.target_type,
            self.target_id,
            self.target_repr,
            self.region_id,
            self.unit_id,
            self.changes,
            self.salt,
        ]

    def content_digest(self) -> str:
        return content_digest(self.content_fields())

    def compute_hash(self) -> str:
        return link(self.prev_hash, self.content_digest())

    def changes_dict(self) -> dict[str, Any]:
        if not self.changes:
            return {}
        value = json.loads(self.changes)
        return value if isinstance(value, dict) else {"value": value}


class AuditHead(models.Model):
    """The single row that points at the end of the chain; locking it serialises appends."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
