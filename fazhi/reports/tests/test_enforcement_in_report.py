"""The region's enforcement registers and cases in its annual report: figures from fazhi.enforcement, each
with the officers or cases behind it; nothing said where the region keeps no enforcement records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from fazhi.enforcement.models import CaseKind, CaseStep
from fazhi.enforcement.tests.casefile import NOW, D, investigate_and_notify, make_body, open_case, step
from fazhi.reports import generate, indicators
from fazhi.testing import Personas, make_plan

pytestmark = pytest.mark.django_db
YEAR = 2025


def enforcement_sentences(report: generate.AnnualReport) -> list[generate.Sentence]:
    [measures] = [section for section in report.sections if section.key == "measures"]
    headings = [p for p in measures.paragraphs if p.heading and p.text.endswith("）行政执法基本情况")]
    if not headings:
        return []
    index = measures.paragraphs.index(headings[0])
    return list(measures.paragraphs[index + 1].sentences)


def test_the_region_report_states_its_officers_and_cases_with_their_records(
    personas: Personas, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    make_plan(personas.region_a, publish=True, year=YEAR)
    assert enforcement_sentences(generate.generate(indicators.Scope(personas.region_a, YEAR))) == []
    body = make_body(personas)
    major = investigate_and_notify(body, open_case(body, is_major=True))
    step(major, CaseStep.REVIEW_PASS, D(2025, 3, 18), reviewer=body.reviewer, notes="同意")
    step(major, CaseStep.DISCUSS, D(2025, 3, 19), notes="集体讨论同意")
    step(major, CaseStep.DECIDE, D(2025, 3, 20), penalty_amount=Decimal("5000"))
    inspection = open_case(body, kind=CaseKind.INSPECTION, on=D(2025, 4, 1))
    report = generate.generate(indicators.Scope(personas.region_a, YEAR))
    officers, cases, review = enforcement_sentences(report)
    # 张、李、王(certificate expired in March)、钱、孙 are active in region A; 赵 is not, 外区执法 is in B.
    assert officers.text == "新城区共有行政执法人员5名，执法证在有效期内的占80%，年度培训达到规定学时的占0%。"
    assert len(officers.sources["enforcement.officer"]) == 5
    assert body.wang.pk in officers.sources["enforcement.officer"]
    assert body.other.pk not in officers.sources["enforcement.officer"]
    assert cases.text == "全年立案办理行政执法案件2件，其中行政处罚案件1件。"
    assert cases.sources["enforcement.case"] == tuple(sorted((major.pk, inspection.pk)))
    assert review.text == "重大执法决定法制审核率100%。"
    assert report.values["major_review_rate"].sources == {"enforcement.case": (major.pk,)}
    # The 数据来源 appendix names them in Chinese.
    assert any("执法案件" in entry.records for entry in generate.source_entries(report))


def test_a_units_own_report_does_not_speak_for_the_regions_enforcement(
    personas: Personas, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    make_plan(personas.region_a, publish=True, year=YEAR)
    body = make_body(personas)
    open_case(body)
    report = generate.generate(indicators.Scope(personas.region_a, YEAR, personas.justice_a))
    assert enforcement_sentences(report) == []
    assert "officers" not in report.values
