"""A starting catalogue of indicators that units (or the office) enter by hand, each backed by evidence files.

As in 0002, the rows are written here rather than imported from the app, and codes that already exist are
left as they are.
"""

from typing import Any

from django.db import migrations

CATALOGUE = [
    # code, name, unit of measure, definition
    (
        "executive_meeting_law_study",
        "政府常务会议学法次数",
        "次",
        "年度内政府常务会议（办公会议）会前学法的次数",
    ),
    ("leaders_attending_trials", "领导干部旁听庭审人数", "人", "年度内参加旁听庭审活动的领导干部人数"),
    (
        "principal_appearing_in_court_rate",
        "行政机关负责人出庭应诉率",
        "%",
        "负责人出庭应诉的行政诉讼案件 ÷ 开庭审理的行政诉讼案件",
    ),
    (
        "normative_documents_reviewed",
        "行政规范性文件合法性审核件数",
        "件",
        "年度内经合法性审核的行政规范性文件数",
    ),
    (
        "major_decisions_reviewed",
        "重大行政决策合法性审查件数",
        "件",
        "年度内经合法性审查的重大行政决策事项数",
    ),
    ("law_publicity_events", "普法宣传活动场次", "场", "年度内组织开展的普法宣传活动场次"),
]
FIRST_POSITION = 500  # after the computed catalogue of 0002 (10 … 120)


def seed(apps: Any, schema_editor: Any) -> None:
    Indicator = apps.get_model("reports", "Indicator")
    for index, (code, name, measure, description) in enumerate(CATALOGUE):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "measure": measure,
                "source": "entered",
                "computation": "",
                "description": description,
                "position": FIRST_POSITION + index * 10,
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in CATALOGUE], values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_entered_values_evidence")]

    operations = [migrations.RunPython(seed, unseed)]
