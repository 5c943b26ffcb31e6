"""Scraped government pages: navigation, widgets and metadata tables stay out; page fields feed metadata."""

from __future__ import annotations

from pathlib import Path

from fazhi.docparse import parse_plan_document, parse_plan_file

PAGE = """<!DOCTYPE html>
<html><head><meta charset="gb2312"><title>某市司法局门户网站</title>
<script>document.write("一、这不是任务");</script><style>.x{}</style></head>
<body>
<div class="top-nav"><a href="/">首页</a> | <a>政务公开</a> | <a>办事服务</a></div>
<div class="position">当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; 通知公告</div>
<table class="xxgk">
<tr><td>索引号：</td><td>11150000/2024-001</td><td>发布机构：</td><td>某市司法局</td></tr>
<tr><td>文号：</td><td>某司发〔2024〕3号</td><td>成文日期：</td><td>2024年02月20日</td></tr>
</table>
<div class="article">
<h1>某市司法局2024年法治政府建设工作计划</h1>
<div class="fontsize">字号：<a>大</a> <a>中</a> <a>小</a></div>
<p>为全面推进依法行政，制定本计划。</p>
<p>一、推进依法行政</p>
<p>（一）加强规范性文件管理。规范性文件备案审查率达100%。<br>责任单位：法制科</p>
<p>（二）做好行政复议工作&nbsp;。<br>牵头单位：复议科<br>配合单位：各业务科室</p>
</div>
<div class="bdsharebuttonbox">分享到：微信 微博</div>
<div>【打印本页】【关闭窗口】</div>
<div class="footer">版权所有：某市司法局 访问量：12345</div>
</body></html>
"""


def write_page(tmp_path: Path, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(PAGE.encode("gb18030"))
    return path


def test_page_with_navigation_and_widgets_yields_only_the_plan(tmp_path: Path) -> None:
    result = parse_plan_file(write_page(tmp_path))
    assert [t["path"] for t in result["tasks"]] == [["一", "(一)"], ["一", "(二)"]]
    assert result["tasks"][0]["units"] == ["法制科"]
    assert result["tasks"][1]["cooperating_units"] == ["各业务科室"]


def test_page_metadata_table_fills_the_header_fields(tmp_path: Path) -> None:
    result = parse_plan_file(write_page(tmp_path))
    assert result["title"] == "某市司法局2024年法治政府建设工作计划"
    assert result["issuer"] == "某市司法局"
    assert result["doc_number"] == "某司发〔2024〕3号"
    assert result["date"] == "2024-02-20"


def test_scripts_navigation_and_footer_are_not_in_the_source(tmp_path: Path) -> None:
    text = parse_plan_document(write_page(tmp_path)).source.text
    for furniture in ("这不是任务", "办事服务", "当前位置", "分享到", "版权所有"):
        assert furniture not in text


def test_html_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    result = parse_plan_file(write_page(tmp_path, "page.txt"))
    assert len(result["tasks"]) == 2


def test_html_ledger_table_with_rowspan() -> None:
    from fazhi.docparse import parse_plan_bytes

    page = (
        "<html><body><p>某区2024年法治政府建设任务分工</p><table>"
        "<tr><th>序号</th><th>一级指标</th><th>主要任务</th><th>责任单位</th></tr>"
        "<tr><td>1</td><td rowspan='2'>一、加强党的领导</td><td>学法不少于4次。</td><td>区司法局</td></tr>"
        "<tr><td>2</td><td>开展述法。</td><td>区委依法治区办</td></tr>"
        "</table></body></html>"
    )
    tasks = parse_plan_bytes(page.encode(), "ledger.html")["tasks"]
    assert [t["path"] for t in tasks] == [["一", "1"], ["一", "2"]]
