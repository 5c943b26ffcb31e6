"""Indicators computed from the enforcement registers and cases (definitions in fazhi.reports.indicators and
fazhi.enforcement.figures). Written out here, like 0002, so the migration does not depend on the code.
Codes that already exist are left as they are."""

from typing import Any

from django.db import migrations

CATALOGUE = [
    # code, name, unit of measure, definition
    ("officers", "行政执法人员", "名", "在岗行政执法人员数"),
    (
        "officers_certified_rate",
        "执法人员持证率",
        "%",
        "12月31日执法证在有效期内的在岗执法人员 ÷ 在岗执法人员",
    ),
    (
        "officers_trained_rate",
        "执法人员培训达标率",
        "%",
        "年度培训达到规定学时（默认60学时）的在岗执法人员 ÷ 在岗执法人员",
    ),
    ("cases", "行政执法案件", "件", "年度内立案的行政检查、行政处罚和行政强制案件数"),
    ("penalty_cases", "行政处罚案件", "件", "年度内立案的行政处罚案件数（简易程序和普通程序）"),
    (
        "major_review_rate",
        "重大执法决定法制审核率",
        "%",
        "年度内作出的重大执法决定中，决定前经法制审核通过的比例",
    ),
]
FIRST_POSITION = 200


def seed(apps: Any, schema_editor: Any) -> None:
    Indicator = apps.get_model("reports", "Indicator")
    for offset, (code, name, measure, description) in enumerate(CATALOGUE):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "measure": measure,
                "source": "computed",
                "computation": code,
                "description": description,
                "position": FIRST_POSITION + offset * 10,
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    Indicator = apps.get_model("reports", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in CATALOGUE], values__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_seed_entered_indicators")]
    operations = [migrations.RunPython(seed, unseed)]
