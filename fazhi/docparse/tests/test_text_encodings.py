"""Text files in UTF-8, GB18030/GBK and UTF-16 are detected without trusting anything but the bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.docparse import DocumentError, parse_plan_file
from fazhi.docparse.safety import decode_text

PLAN = (
    "某区2024年法治政府建设工作要点\r\n一、重点任务\r\n"
    "（一）推进依法决策，11月底前完成。（责任单位：区司法局）\r\n"
)


@pytest.mark.parametrize(
    "encoded",
    [
        PLAN.encode("utf-8"),
        b"\xef\xbb\xbf" + PLAN.encode("utf-8"),
        PLAN.encode("gb18030"),
        PLAN.encode("gbk"),
        PLAN.encode("utf-16"),
        PLAN.encode("utf-16-le"),
        PLAN.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "utf16le-no-bom", "utf16be-no-bom"],
)
def test_plan_text_reads_the_same_in_every_encoding(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(encoded)
    result = parse_plan_file(path)
    assert result["title"] == "某区2024年法治政府建设工作要点"
    assert result["tasks"][0]["units"] == ["区司法局"]
    assert result["tasks"][0]["deadlines"][0]["date"] == "2024-11-30"


def test_gb18030_characters_outside_gbk_survive() -> None:
    text = "𠀀区司法局"  # a CJK Extension B character, four bytes in GB18030
    assert decode_text(text.encode("gb18030")) == text


def test_binary_bytes_are_not_text() -> None:
    with pytest.raises(DocumentError, match=r"编码|二进制"):
        decode_text(b"\x81\x30\xff\xfe\xfd\x00\x01\x02" * 3 + b"\xff")


def test_text_with_nul_bytes_is_refused() -> None:
    with pytest.raises(DocumentError):
        decode_text(b"abc" + b"\x00\x00\x00\x00")
