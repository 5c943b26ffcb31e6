"""Masking of personal data for the 公示 of decisions: examples, and properties that hold for any text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fazhi.enforcement.masking import (
    Party,
    mask_address,
    mask_id_number,
    mask_name,
    mask_party,
    mask_phone,
    mask_text,
)

ID = "150102199003071234"
MOBILE = "13812345678"
ADDRESS = "内蒙古自治区呼和浩特市新城区海东路街道幸福小区3号楼2单元501室"
PERSON = Party("张三丰", "natural", ID, MOBILE, ADDRESS)
COMPANY = Party("呼和浩特某律师事务所", "legal", "91150102MA0000000X", "0471-6600000", "新城区新华大街1号")


def test_names_keep_the_surname_only() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("张三丰") == "张*"
    assert mask_name("欧阳修") == "欧阳*"
    assert mask_name("诸葛孔明") == "诸葛*"
    assert mask_name("欧阳") == "欧*"  # a two-character name is a surname and a given name
    assert mask_name("王") == "*"


def test_id_numbers_hide_the_birth_date() -> None:
    assert mask_id_number(ID) == "150102********1234"
    assert mask_id_number("15010219900307123X") == "150102********123X"
    assert mask_id_number("150102900307123") == "150102******123"
    assert mask_id_number("E12345678") == "E*******8"  # a passport: first and last character


def test_phones_keep_the_ends() -> None:
    assert mask_phone(MOBILE) == "138****5678"
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_phone("0471-6600000") == "0471-*****00"
    assert mask_phone("（0471）66001234") == "（0471）******34"


def test_addresses_keep_the_divisions_down_to_the_street() -> None:
    assert mask_address(ADDRESS) == "内蒙古自治区呼和浩特市新城区海东路街道***"
    assert mask_address("北京市朝阳区建国路88号") == "北京市朝阳区***"
    assert mask_address("新城区成吉思汗大街12号") == "新城区***"
    assert mask_address("保合少镇水磨村") == "保合少镇***"
    assert mask_address("某某路1号") == "***"


def test_natural_person_is_masked_and_organisation_keeps_its_name() -> None:
    person = mask_party(PERSON)
    assert (person.name, person.id_number, person.phone) == ("张*", "150102********1234", "138****5678")
    company = mask_party(COMPANY)
    assert company.name == COMPANY.name
    assert company.id_number == "91150102MA0000000X"  # the credit code is a public register
    assert company.phone == "0471-*****00"


def test_free_text_masks_the_party_and_anything_that_looks_personal() -> None:
    text = (
        f"当事人张三丰（身份证号{ID}，住{ADDRESS}，电话{MOBILE}）于2025年3月在海东路街道幸福小区3号楼"
        "擅自从事法律服务。证人李四，电话139 8765 4321，身份证号110101198001010012。"
        "张三丰对违法事实无异议。"
    )
    masked = mask_text(text, PERSON)
    for raw in ("张三丰", ID, MOBILE, "幸福小区3号楼", "13987654321", "139 8765 4321", "110101198001010012"):
        assert raw not in masked
    assert "当事人张*（身份证号150102********1234，住内蒙古自治区呼和浩特市新城区海东路街道***" in masked
    assert "139****4321" in masked
    assert "2025年3月" in masked  # dates and amounts are not personal data


def test_legal_representative_is_masked_but_not_the_company() -> None:
    text = (
        "当事人呼和浩特某律师事务所，统一社会信用代码91150102MA0000000X，法定代表人：欧阳修，负责人为王五。"
    )
    masked = mask_text(text, COMPANY)
    assert "呼和浩特某律师事务所" in masked
    assert "91150102MA0000000X" in masked
    assert "法定代表人：欧阳*" in masked
    assert "负责人为王*" in masked
    assert "欧阳修" not in masked
    assert "王五" not in masked


def test_case_numbers_amounts_and_dates_are_left_alone() -> None:
    text = "新司罚〔2025〕12号：罚款5000元，于2025年3月10日送达。"
    assert mask_text(text) == text


# --- properties ---------------------------------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
names = st.text(CJK, min_size=2, max_size=4)
id_numbers = st.from_regex(r"\A[1-6]\d{16}[\dX]\Z")
mobiles = st.from_regex(r"\A1[3-9]\d{9}\Z")
# Filler text: Chinese, digits and punctuation, in short runs between the values.
filler = st.text(st.one_of(CJK, st.sampled_from("0123456789，。：:（）() -年月日号元")), max_size=12)
SEPARATORS = st.sampled_from(["，", "。", " ", "：", "（", "）", "电话", "身份证号"])


@st.composite
def texts_with_personal_data(draw: st.DrawFn) -> tuple[str, Party, list[str]]:
    party = Party(draw(names), "natural", draw(id_numbers), draw(mobiles), "")
    values = [party.name, party.id_number, party.phone, draw(id_numbers), draw(mobiles)]
    parts = []
    for value in draw(st.permutations(values)):
        parts += [draw(filler), draw(SEPARATORS), value, draw(SEPARATORS)]
    return "".join([*parts, draw(filler)]), party, values


@given(texts_with_personal_data())
def test_no_id_number_mobile_or_party_name_survives(case: tuple[str, Party, list[str]]) -> None:
    text, party, values = case
    masked = mask_text(text, party)
    assert party.name not in masked
    for value in values[1:]:
        assert value not in masked
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", masked)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", masked)


@given(texts_with_personal_data())
def test_masking_text_is_idempotent(case: tuple[str, Party, list[str]]) -> None:
    text, party, _values = case
    once = mask_text(text, party)
    assert mask_text(once, party) == once
    assert mask_text(once) == once


@given(st.text(max_size=40))
def test_masking_any_text_is_idempotent(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once


@given(names, id_numbers, mobiles, st.text(max_size=30))
def test_masking_single_values_is_idempotent(name: str, id_number: str, mobile: str, address: str) -> None:
    for mask, value in ((mask_name, name), (mask_id_number, id_number), (mask_phone, mobile)):
        assert mask(mask(value)) == mask(value)
        assert mask(value) != value
    assert mask_address(mask_address(address)) == mask_address(address)
