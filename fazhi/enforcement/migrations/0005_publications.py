"""Publications (公示) of decisions, and the rules saying which kinds are published and when.

Seeds the rule that applies everywhere (国办发〔2018〕118号, 关于全面推行行政执法公示制度执法全过程记录制度重大
执法决定法制审核制度的指导意见: 行政许可、行政处罚 decisions public within 7 working days of the decision).
Here 处罚 is the two penalty kinds; licensing is not a case kind yet. The rows are written here, not imported
from the app, so this migration keeps working whatever the code becomes.
"""

import datetime
from typing import Any

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

IN_FORCE = datetime.date(2019, 1, 1)
BASIS = "国办发〔2018〕118号"
KINDS = ("penalty_simple", "penalty_ordinary")


def seed(apps: Any, schema_editor: Any) -> None:
    PublicationRule = apps.get_model("enforcement", "PublicationRule")
    for kind in KINDS:
        PublicationRule.objects.get_or_create(
            case_kind=kind,
            region=None,
            effective_from=IN_FORCE,
            defaults={"publish": True, "days": 7, "working_days": True, "legal_basis": BASIS},
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    PublicationRule = apps.get_model("enforcement", "PublicationRule")
    PublicationRule.objects.filter(case_kind__in=KINDS, region=None, effective_from=IN_FORCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0004_officer_accounts"),
        ("orgs", "0001_create_regions_units_people"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicationRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "case_kind",
                    models.CharField(
                        choices=[
                            ("inspection", "inspection"),
                            ("penalty_simple", "penalty, simplified procedure"),
                            ("penalty_ordinary", "penalty, ordinary procedure"),
                            ("coercion", "coercive measure"),
                        ],
                        max_length=20,
                        verbose_name="case kind",
                    ),
                ),
                ("publish", models.BooleanField(default=True, verbose_name="published")),
                (
                    "days",
                    models.PositiveSmallIntegerField(
                        default=7,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="days",
                    ),
                ),
                (
                    "working_days",
                    models.BooleanField(
                        default=True,
                        help_text="Counted in working days (else calendar days).",
                        verbose_name="working days",
                    ),
                ),
                ("effective_from", models.DateField(verbose_name="effective from")),
                ("effective_to", models.DateField(blank=True, null=True, verbose_name="effective to")),
                ("legal_basis", models.CharField(max_length=200, verbose_name="legal basis")),
                (
                    "region",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for a rule that applies everywhere.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="publication_rules",
                        to="orgs.region",
                        verbose_name="region",
                    ),
                ),
            ],
            options={
                "verbose_name": "publication rule",
                "verbose_name_plural": "publication rules",
                "ordering": ["case_kind", "-effective_from"],
            },
        ),
        migrations.CreateModel(
            name="Publication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "to be published"),
                            ("published", "published"),
                            ("withdrawn", "withdrawn"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("due_on", models.DateField(verbose_name="to be published by")),
                ("body_name", models.CharField(blank=True, max_length=100, verbose_name="enforcement body")),
                (
                    "case_kind",
                    models.CharField(
                        choices=[
                            ("inspection", "inspection"),
                            ("penalty_simple", "penalty, simplified procedure"),
                            ("penalty_ordinary", "penalty, ordinary procedure"),
                            ("coercion", "coercive measure"),
                        ],
                        max_length=20,
                        verbose_name="case kind",
                    ),
                ),
                ("case_number", models.CharField(blank=True, max_length=80, verbose_name="case number")),
                ("party_name", models.CharField(blank=True, max_length=200, verbose_name="party")),
                (
                    "party_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("natural", "natural person"),
                            ("legal", "legal person or other organisation"),
                        ],
                        max_length=10,
                        verbose_name="party type",
                    ),
                ),
                (
                    "party_id_number",
                    models.CharField(blank=True, max_length=40, verbose_name="party's ID number"),
                ),
                (
                    "party_address",
                    models.CharField(blank=True, max_length=300, verbose_name="party's address"),
                ),
                ("facts", models.TextField(blank=True, verbose_name="facts")),
                ("legal_basis", models.TextField(blank=True, verbose_name="legal basis")),
                ("decision", models.TextField(blank=True, verbose_name="decision")),
                (
                    "penalty_amount",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="fine (yuan)"
                    ),
                ),
                ("decided_on", models.DateField(verbose_name="decided on")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published at")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at")),
                ("withdrawal_note", models.TextField(blank=True, verbose_name="reason for withdrawal")),
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="publication",
                        to="enforcement.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="published by",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="publications",
                        to="orgs.unit",
                        verbose_name="enforcement body",
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="withdrawn by",
                    ),
                ),
                (
                    "rule",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="enforcement.publicationrule",
                        verbose_name="publication rule",
                    ),
                ),
            ],
            options={
                "verbose_name": "decision publication",
                "verbose_name_plural": "decision publications",
                "ordering": ["-decided_on", "-pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="publicationrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("region__isnull", False)),
                fields=("case_kind", "region", "effective_from"),
                name="publication_rule_unique_start_per_region",
            ),
        ),
        migrations.AddConstraint(
            model_name="publicationrule",
            constraint=models.UniqueConstraint(
                condition=models.Q(("region__isnull", True)),
                fields=("case_kind", "effective_from"),
                name="publication_rule_unique_start",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["status", "due_on"], name="publication_status_due_idx"),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["published_at"], name="publication_published_idx"),
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "published"), _negated=True),
                    ("published_at__isnull", False),
                    _connector="OR",
                ),
                name="publication_published_has_time",
            ),
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "withdrawn"), _negated=True),
                    ("withdrawn_at__isnull", False),
                    _connector="OR",
                ),
                name="publication_withdrawn_has_time",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
