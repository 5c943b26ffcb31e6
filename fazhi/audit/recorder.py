"""Who is writing, and the record of what they wrote.

Every save and delete of a model in a Fazhi app is recorded by the signal handlers below, with the old and
new values of the fields that changed. The actor comes from a context variable: the web middleware sets it
per request, commands set it with `acting_as(...)`. Writes that bypass signals (bulk_create, QuerySet.update)
must call `record(...)` themselves; `fazhi.audit` tests check every model is covered.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import json
import logging
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import chain

logger = logging.getLogger(__name__)

MASK = "******"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    source: str
    ip: str = ""


SYSTEM = Actor(None, "system", "system")
_current: ContextVar[Actor] = ContextVar("fazhi_audit_actor", default=SYSTEM)
_batch: ContextVar[list[chain.EntryData] | None] = ContextVar("fazhi_audit_batch", default=None)


def current_actor() -> Actor:
    return _current.get()


@contextlib.contextmanager
def acting_as(user: Any = None, source: str = "cli", ip: str = "") -> Iterator[Actor]:
    """Attribute every write inside the block to `user` (None for the system itself)."""
    if user is not None and getattr(user, "is_authenticated", False):
        actor = Actor(user.pk, user.get_username(), source, ip)
    else:
        actor = Actor(None, source if source != "web" else "anonymous", source, ip)
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Link the entries of every write inside the block onto the chain in one append, when the block ends.

    For bulk work (imports): one lock of the chain head and one insert instead of three queries per row. Use
    it inside the transaction that makes the writes, so the entries commit or roll back with them; if the
    block raises, nothing is appended (and the transaction rolls back).
    """
    if _batch.get() is not None:
        yield
        return
    if not _in_transaction():
        raise RuntimeError("audit.batched() must run inside transaction.atomic()")
    items: list[chain.EntryData] = []
    token = _batch.set(items)
    try:
        yield
    finally:
        _batch.reset(token)
    chain.append(items)


def to_json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_json_value(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return str(value)


def canonical(value: Any) -> str:
    return json.dumps(to_json_value(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def scope_of(instance: models.Model) -> tuple[int | None, int | None]:
    """The (region id, unit id) an object belongs to, so region coordinators can read its history."""
    method = getattr(instance, "audit_scope", None)
    if callable(method):
        region_id, unit_id = method()
        return region_id, unit_id
    return getattr(instance, "region_id", None), getattr(instance, "unit_id", None)


def record(
    action: str,
    target_type: str,
    target_id: Any = "",
    target_repr: str = "",
    changes: Any = None,
    region_id: int | None = None,
    unit_id: int | None = None,
) -> None:
    """Append one entry for the current actor. Call inside the transaction that makes the change."""
    actor = current_actor()
    item = chain.EntryData(
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        target_repr=str(target_repr),
        changes="" if changes is None else canonical(changes),
        region_id=region_id,
        unit_id=unit_id,
        actor_id=actor.user_id,
        actor_name=actor.name,
        source=actor.source,
        ip=actor.ip,
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(item)
    else:
        chain.append([item])


def record_instance(action: str, instance: models.Model, changes: Any = None) -> None:
    region_id, unit_id = scope_of(instance)
    record(action, instance._meta.label_lower, instance.pk, str(instance)[:200], changes, region_id, unit_id)


# --- which models are recorded ---------------------------------------------------------------------------

_EXCLUDED_MODELS = {"audit.auditentry", "audit.audithead"}


_audited_cache: dict[type, bool] = {}


def is_audited(model: type[models.Model]) -> bool:
    cached = _audited_cache.get(model)
    if cached is None:
        meta = model._meta
        config = apps.get_containing_app_config(model.__module__)
        # Historical models built by migrations belong to no app config: schema work is not audited.
        cached = (
            config is not None
            and config.name.startswith("fazhi.")
            and meta.label_lower not in _EXCLUDED_MODELS
            and model is apps.get_model(meta.label)
        )
        _audited_cache[model] = cached
    return cached


def _field_values(instance: models.Model) -> dict[str, Any]:
    masked = set(getattr(instance, "AUDIT_MASKED_FIELDS", ()))
    ignored = set(getattr(instance, "AUDIT_IGNORED_FIELDS", ()))
    values = {}
    for f in instance._meta.concrete_fields:
        if f.primary_key or f.name in ignored:
            continue
        value = getattr(instance, f.attname)
        values[f.name] = MASK if f.name in masked and value else to_json_value(value)
    return values


def _in_transaction() -> bool:
    # The test runner wraps each test in transactions of its own (marked _from_testcase); they don't count.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _check_transaction(instance: models.Model) -> None:
    # A save outside a transaction would commit before its audit entry is written; a crash in between would
    # lose the record. Our code always writes inside transaction.atomic() (and requests are atomic).
    if not _in_transaction():
        message = (
            f"{instance._meta.label} written outside a transaction: wrap the write in transaction.atomic()"
        )
        if getattr(settings, "FAZHI_AUDIT_STRICT", False):
            raise RuntimeError(message)
        logger.warning(message)


def _only_ignored(instance: models.Model, update_fields: Any) -> bool:
    ignored = set(getattr(instance, "AUDIT_IGNORED_FIELDS", ()))
    return bool(update_fields) and set(update_fields) <= ignored


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not is_audited(sender) or _only_ignored(instance, kwargs.get("update_fields")):
        instance._audit_skip = True  # type: ignore[attr-defined]
        return
    instance._audit_skip = False  # type: ignore[attr-defined]
    _check_transaction(instance)
    old = None
    if instance.pk is not None and not instance._state.adding:
        row = sender._base_manager.filter(pk=instance.pk).first()
        old = _field_values(row) if row is not None else None
    instance._audit_old = old  # type: ignore[attr-defined]


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or getattr(instance, "_audit_skip", True):
        return
    new = _field_values(instance)
    old = getattr(instance, "_audit_old", None)
    if created or old is None:
        record_instance("create", instance, {name: [None, value] for name, value in new.items()})
        return
    diff = {name: [old.get(name), value] for name, value in new.items() if old.get(name) != value}
    if diff:
        record_instance("update", instance, diff)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not is_audited(sender):
        return
    record_instance(
        "delete", instance, {name: [value, None] for name, value in _field_values(instance).items()}
    )


def _m2m_changed(
    sender: Any, instance: models.Model, action: str, pk_set: Any, model: Any, **kw: Any
) -> None:
    if not action.startswith("post_") or not is_audited(type(instance)):
        return
    field_name = next(
        (f.name for f in instance._meta.many_to_many if getattr(f.remote_field, "through", None) is sender),
        sender._meta.model_name,
    )
    ids = sorted(pk_set) if pk_set else []
    record_instance(f"m2m_{action[5:]}", instance, {field_name: {action[5:]: ids}})


def connect() -> None:
    pre_save.connect(_pre_save, dispatch_uid="fazhi_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="fazhi_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="fazhi_audit_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="fazhi_audit_m2m")
