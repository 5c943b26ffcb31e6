"""Importing cases with their steps: streamed, checked by the same guards as the case page, all or nothing."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.audit.models import AuditEntry
from fazhi.audit.recorder import acting_as
from fazhi.enforcement import case_import
from fazhi.enforcement.models import Case, CaseEvent, CaseStatus, DiscretionStandard, LegalReview

from .casefile import Body, D

HEADER = ["执法主体", "案件编号", "案件类型", "事项编码", "当事人", "当事人类型", "重大执法决定", "环节",
          "日期", "执法人员证号", "审核人员证号", "备注", "罚款金额"]  # fmt: skip
UNIT = "新城区司法局"
CODE = "330217001"


def major_case(number: str, review: bool = True) -> list[list[str]]:
    first = [UNIT, number, "行政处罚普通程序", CODE, "某律师事务所", "法人", "是"]
    rest = [""] * len(first)
    rows = [
        [*first, "立案", "2025-03-03", "", "", "", ""],
        [*rest, "调查取证", "2025-03-05", "15010001、15010002", "", "", ""],
        [*rest, "告知", "2025-03-10", "", "", "", ""],
    ]
    if review:
        rows.append([*rest, "法制审核通过", "2025-03-20", "", "15010005", "事实清楚，证据充分", ""])
    rows += [
        [*rest, "集体讨论", "2025-03-21", "", "", "同意处罚", ""],
        [*rest, "决定", "2025-03-24", "", "", "", "2000"],
    ]
    for row in rows:
        row[0], row[1] = UNIT, number
    return rows


def inspection(number: str) -> list[list[str]]:
    rows = [
        [
            UNIT,
            number,
            "行政检查",
            "",
            "某商店",
            "法人或者其他组织",
            "否",
            "立案",
            "2025-04-01",
            "",
            "",
            "",
            "",
        ],
        [UNIT, number, "", "", "", "", "", "调查取证", "2025/4/2", "15010001,15010006", "", "", ""],
        [UNIT, number, "", "", "", "", "", "结案", "2025年4月3日", "", "", "", ""],
    ]
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["新城区执法案件导出"], HEADER, *rows])
    return path


def run(body: Body, path: Path, user: Any = None) -> case_import.CaseImportResult:
    with acting_as(user, "test"):
        return case_import.import_cases(body.unit.region, path)


def state() -> tuple[int, int, int, int]:
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        LegalReview.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_good_file_imports_cases_with_their_steps_and_audits_them(body: Body, tmp_path: Path) -> None:
    audit_before = AuditEntry.objects.count()
    result = run(
        body, write_csv(tmp_path / "cases.csv", major_case("新司罚〔2025〕1号") + inspection("新司检1"))
    )
    assert result.ok, result.errors
    assert (result.created, result.events, result.applied) == (2, 9, True)
    major = Case.objects.get(number="新司罚〔2025〕1号")
    assert major.status == CaseStatus.DECIDED
    assert major.is_major
    assert str(major.penalty_amount) == "2000.00"
    assert major.discretion_standard == body.standard
    assert set(major.investigators.all()) == {body.zhang, body.li}
    assert [e.step for e in major.events.all()] == [
        "register", "investigate", "notify", "review_pass", "discuss", "decide"
    ]  # fmt: skip
    review = major.legal_reviews.get()
    assert review.reviewer == body.reviewer
    assert review.opinion == "事实清楚，证据充分"
    assert set(major.events.get(step="review_pass").officers.all()) == {body.reviewer}
    assert Case.objects.get(number="新司检1").status == CaseStatus.CLOSED
    entries = AuditEntry.objects.filter(pk__gt=0).order_by("-seq")[:3]
    assert AuditEntry.objects.count() == audit_before + 3  # two cases and the file
    case_entry = next(e for e in entries if e.target_id == str(major.pk))
    assert "review_pass" in case_entry.changes
    assert "91150102" not in case_entry.changes


def test_importing_the_same_file_again_skips_every_case(body: Body, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", major_case("新司罚〔2025〕1号") + inspection("新司检1"))
    assert run(body, path).ok
    before = state()
    again = run(body, path)
    assert again.ok
    assert (again.created, again.skipped) == (0, 2)
    assert state()[:3] == before[:3]


def test_a_file_with_one_bad_row_imports_nothing_and_lists_the_row(body: Body, tmp_path: Path) -> None:
    rows = major_case("新司罚〔2025〕1号") + inspection("新司检1")
    rows[1][9] = "15010001、15010003"  # 王过期's certificate expired on 31 March 2025: still valid on 5 March
    rows[7][9] = "15010003"  # but not on 2 April, and alone
    before = state()
    result = run(body, write_csv(tmp_path / "cases.csv", rows))
    assert not result.applied
    assert result.error_count == 1
    [error] = result.errors
    assert error.row == 10
    assert "新司检1" in error.sheet
    assert "两名以上" in error.message
    assert state() == before


def test_a_decided_major_case_without_a_passed_review_is_refused(body: Body, tmp_path: Path) -> None:
    before = state()
    result = run(
        body, write_csv(tmp_path / "cases.csv", inspection("新司检1") + major_case("罚2", review=False))
    )
    assert not result.applied
    assert [e.row for e in result.errors] == [9]  # the discussion comes before a review
    assert "法制审核" in result.errors[0].message
    assert state() == before


def test_a_review_by_an_investigator_is_refused(body: Body, tmp_path: Path) -> None:
    rows = major_case("罚3")
    rows[3][10] = "15010001"  # 张执法 is not a legal reviewer
    rows[1][9] = "15010006、15010002"
    rows[3][10] = "15010006"  # 孙审核 investigated the case
    result = run(body, write_csv(tmp_path / "cases.csv", rows))
    assert not result.applied
    assert "不能同时进行法制审核" in result.errors[0].message


def test_a_decision_inside_the_notice_window_is_refused(body: Body, tmp_path: Path) -> None:
    rows = major_case("罚4")
    rows[3][8], rows[4][8], rows[5][8] = "2025-03-11", "2025-03-12", "2025-03-13"
    result = run(body, write_csv(tmp_path / "cases.csv", rows))
    assert not result.applied
    assert "仍可陈述申辩" in result.errors[0].message


def test_a_fine_outside_the_discretion_standard_needs_a_reason(body: Body, tmp_path: Path) -> None:
    rows = major_case("罚5")
    rows[5][12] = "9000"
    result = run(body, write_csv(tmp_path / "cases.csv", rows))
    assert not result.applied
    assert "超出裁量基准" in result.errors[0].message


def test_every_bad_case_is_listed(body: Body, tmp_path: Path) -> None:
    rows = major_case("罚6", review=False) + inspection("检7") + major_case("罚6")
    rows[6][8] = "2025-13-40"
    result = run(body, write_csv(tmp_path / "cases.csv", rows))
    assert [(e.row, e.column) for e in result.errors] == [(6, ""), (9, "日期"), (11, "案件编号")]
    assert "2025-13-40" in result.errors[1].message


def test_a_text_file_named_xlsx_is_refused_in_chinese(body: Body, tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_text("执法主体,案件编号\n", encoding="utf-8")
    result = run(body, path)
    assert not result.applied
    assert "扩展名是 .xlsx" in result.errors[0].message


def test_a_zip_bomb_and_an_entity_declaration_are_refused(body: Body, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    workbook.save(tmp_path / "good.xlsx")
    bomb, entity = tmp_path / "bomb.xlsx", tmp_path / "entity.xlsx"
    with zipfile.ZipFile(tmp_path / "good.xlsx") as old:
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
            for item in old.infolist():
                new.writestr(item, old.read(item.filename))
            new.writestr("xl/media/image1.bin", b"\0" * (8 << 20))
        with zipfile.ZipFile(entity, "w", zipfile.ZIP_DEFLATED) as new:
            for item in old.infolist():
                data = old.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
                new.writestr(item, data)
    empty = run(body, tmp_path / "good.xlsx")  # column names only
    assert not empty.applied
    assert empty.errors[0].row is None
    assert "压缩" in run(body, bomb).errors[0].message
    assert "实体" in run(body, entity).errors[0].message


def test_an_oversized_file_is_refused_before_reading(body: Body, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", inspection("检8"))
    with acting_as(None, "test"):
        result = case_import.import_cases(body.unit.region, path, max_bytes=100)
    assert not result.applied
    assert "文件过大" in result.errors[0].message


def test_an_xlsx_workbook_imports_like_the_csv(body: Body, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [HEADER, *major_case("罚9"), *inspection("检9")]:
        sheet.append(row)
    workbook.save(tmp_path / "cases.xlsx")
    result = run(body, tmp_path / "cases.xlsx")
    assert result.ok, result.errors
    assert result.created == 2


def test_ndjson_lines_import_one_case_each(body: Body, tmp_path: Path) -> None:
    line = {
        "unit": UNIT, "number": "检10", "kind": "inspection", "party_name": "某商店", "party_type": "legal",
        "events": [
            {"step": "register", "on": "2025-04-01"},
            {"step": "investigate", "on": "2025-04-02", "officers": ["15010001", "15010002"],
             "evidence_sha256": ["ab" * 32]},
            {"step": "close", "on": "2025-04-03"},
        ],
    }  # fmt: skip
    path = tmp_path / "cases.ndjson"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n\n" + "{not json\n", encoding="utf-8")
    result = run(body, path)
    assert not result.applied
    assert result.errors[0].row == 3
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run(body, path)
    assert result.ok
    assert result.created == 1
    assert CaseEvent.objects.get(step="investigate").evidence_sha256 == ["ab" * 32]


def test_the_command_prints_progress_and_fails_on_problems(body: Body, tmp_path: Path, capsys: Any) -> None:
    path = write_csv(tmp_path / "cases.csv", major_case("罚11", review=False))
    with pytest.raises(CommandError):
        call_command("import_cases", str(path), region=body.unit.region.name)
    out = capsys.readouterr()
    assert "法制审核" in out.out
    assert out.err.strip()  # the progress lines
    call_command(
        "import_cases", str(write_csv(tmp_path / "ok.csv", inspection("检12"))), region=body.unit.region.name
    )
    assert Case.objects.filter(number="检12").exists()


def test_the_standards_read_once_agree_with_the_database(body: Body) -> None:
    standards = list(DiscretionStandard.objects.filter(power=body.power))
    for day in (D(2024, 12, 31), D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 1)):
        expected = list(DiscretionStandard.objects.filter(power=body.power).in_force(day))
        assert case_import._Standards(standards).in_force(day) == expected
