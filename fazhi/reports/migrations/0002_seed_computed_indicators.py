"""The starting catalogue of indicators computed from supervision records (definitions in indicators.py).

The rows are written here, not imported from the app, so this migration keeps working whatever the code
becomes. Codes that already exist are left as they are.
"""

from typing import Any

from django.db import migrations

CATALOGUE = [
    # code, name, unit of measure, definition
    ("tasks", "计划任务", "项", "年度计划中已分解到单位的任务数"),
    ("tasks_completed", "已完成任务", "项", "全部责任单位均有审核通过且进度为“已完成”的进展报告的任务数"),
    ("tasks_unfinished", "未完成任务", "项", "计划任务中尚未完成的任务数"),
    ("completion_rate", "任务完成率", "%", "已完成任务 ÷ 计划任务"),
    ("reports", "进展报告", "份", "各报送轮次应报的进展报告数"),
    ("reports_accepted", "审核通过的进展报告", "份", "状态为“已通过”的进展报告数"),
    ("reports_returned", "被退回修改的进展报告", "份", "至少被退回一次的进展报告数"),
    ("reports_late", "逾期报送的进展报告", "份", "首次报送晚于截止日期，或截止日期已过仍未报送的进展报告数"),
    ("on_time_rate", "按时报送率", "%", "按时报送的进展报告 ÷ 已报送或已到期的进展报告"),
    ("red_cards", "红牌", "张", "首次报送晚于红牌日期，或红牌日期已过仍未报送的进展报告数"),
    ("targets_met", "已实现的量化目标", "项", "报告值满足计划目标的量化目标数"),
    ("targets_unmet", "未实现的量化目标", "项", "已有报告值但未满足计划目标的量化目标数"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Indicator = apps.get_model("reports", "Indicator")
    for position, (code, name, measure, description) in enumerate(CATALOGUE, start=1):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "measure": measure,
                "source": "computed",
                "computation": code,
                "description": description,
                "position": position * 10,
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in CATALOGUE], values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_create_indicators_values")]

    operations = [migrations.RunPython(seed, unseed)]
