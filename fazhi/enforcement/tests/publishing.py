"""Decided cases with a natural person as the party, for the 公示 tests (time frozen at casefile.NOW)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import transaction

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import actions, publication
from fazhi.enforcement.models import Case, CaseKind, CaseStep, PowerKind, Publication
from fazhi.orgs.models import Unit

from .casefile import Body, step

D = datetime.date

NAME = "张三丰"
ID_NUMBER = "150102199003071234"
PHONE = "13812345678"
ADDRESS = "内蒙古自治区呼和浩特市新城区海东路街道幸福小区3号楼2单元501室"
FACTS = (
    f"当事人{NAME}（身份证号{ID_NUMBER}，电话{PHONE}）在{ADDRESS}擅自从事有偿法律服务，{NAME}对事实无异议。"
)
DECISION = f"对{NAME}处以罚款2000元。"

_numbers = iter(range(1, 1_000_000))
BEFORE_NATIONAL_DAY = D(2025, 9, 30)


def decided_case(
    body: Body | Any,
    decided: datetime.date = BEFORE_NATIONAL_DAY,
    kind: str = CaseKind.PENALTY_SIMPLE,
    **fields: Any,
) -> Case:
    """A simplified-procedure penalty on a natural person, decided on `decided`, with its pending publication
    made as the decision step will make it (publication.on_decided)."""
    fields = {
        "number": f"新司罚〔2025〕公{next(_numbers)}号",
        "power": body.power,
        "cause": FACTS,
        "party_name": NAME,
        "party_type": "natural",
        "party_id_number": ID_NUMBER,
        "party_phone": PHONE,
        "party_address": ADDRESS,
        **fields,
    }
    before = decided - datetime.timedelta(days=1)
    with acting_as(None, "test"), transaction.atomic():
        case = actions.open_case(None, unit=body.unit, kind=kind, on=before, **fields)
    step(case, CaseStep.INVESTIGATE, before, officers=[body.zhang, body.li])
    step(case, CaseStep.NOTIFY, before)
    if kind == CaseKind.PENALTY_ORDINARY:
        step(case, CaseStep.WAIVE, before)
    amount = Decimal("2000") if kind in (CaseKind.PENALTY_SIMPLE, CaseKind.PENALTY_ORDINARY) else None
    case = step(case, CaseStep.DECIDE, decided, notes=DECISION, penalty_amount=amount)
    with acting_as(None, "test"), transaction.atomic():
        publication.on_decided(case)
    return case


def publish(case: Case, user: Any = None, **text: Any) -> Publication:
    with acting_as(user, "test"), transaction.atomic():
        return publication.publish(case, user, **text)


def withdraw(case: Case, note: str, user: Any = None) -> Publication:
    with acting_as(user, "test"), transaction.atomic():
        return publication.withdraw(case.publication, user, note)


def small_body(unit: Unit, tag: str) -> Any:
    """A body with one penalty power and two certified officers, enough for `decided_case` (any unit; codes
    and certificate numbers carry `tag`, so it never collides with casefile.make_body)."""
    with acting_as(None, "test"), transaction.atomic():
        power = actions.save_power(
            None, unit=unit, code=f"GS-{tag}", name="公示测试处罚事项", kind=PowerKind.PENALTY,
            legal_basis="《行政处罚法》第九条",
        )  # fmt: skip
        officers = [
            actions.save_officer(
                None,
                unit=unit,
                name=f"公示执法{n}",
                certificate_number=f"GS-{tag}-{n}",
                issuing_authority="公示测试发证机关",
                valid_from=D(2020, 1, 1),
            )
            for n in (1, 2)
        ]
    return SimpleNamespace(unit=unit, power=power, zhang=officers[0], li=officers[1])


def walk_publications(personas: Any) -> None:
    """For the permission walk: in each region's 司法局 a pending publication (`publication_pending_a`/`_b`)
    and a published one (`publication_published_a`/`_b`), hung on the personas."""
    for side, unit in (("a", personas.justice_a), ("b", personas.justice_b)):
        body = small_body(unit, f"walk-{side}")
        pending = decided_case(body).publication
        published = publish(decided_case(body))
        setattr(personas, f"publication_pending_{side}", pending)
        setattr(personas, f"publication_published_{side}", published)
