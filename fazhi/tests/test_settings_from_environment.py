"""Settings come from the environment, fail loudly on bad values, and harden themselves in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 30 + "-production-secret-for-the-test-only-0123456789"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_") and k != "DATABASE_URL"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "fazhi.cli", *args], cwd=ROOT, env=environment, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def production(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "FAZHI_ENV": "production",
        "FAZHI_SECRET_KEY": SECRET,
        "FAZHI_ALLOWED_HOSTS": "fazhi.example.gov.cn",
        "FAZHI_DATA_DIR": str(tmp_path),
        **extra,
    }


@pytest.mark.parametrize(
    "smtp", [{"FAZHI_EMAIL_HOST": "smtp.example.gov.cn", "FAZHI_EMAIL_USE_TLS": "1"}, {}]
)
def test_deploy_check_is_clean_under_production_settings(tmp_path: Path, smtp: dict[str, str]) -> None:
    result = run("check", "--deploy", "--fail-level", "WARNING", **production(tmp_path, **smtp))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production(tmp_path)
    del env["FAZHI_SECRET_KEY"]
    result = run("check", **env)
    assert result.returncode != 0
    assert "FAZHI_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("FAZHI_SESSION_IDLE_MINUTES", "one hour"), ("FAZHI_DEBUG", "perhaps"), ("FAZHI_ENV", "staging"),
     ("DATABASE_URL", "mysql://root@localhost/fazhi"), ("FAZHI_STORAGE", "ftp")],
)  # fmt: skip
def test_a_bad_value_stops_the_start_and_names_the_variable(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = run("check", FAZHI_DATA_DIR=str(tmp_path), **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


def test_settings_default_to_sqlite_shanghai_time_and_chinese(settings: object) -> None:
    from django.conf import settings as live

    assert live.TIME_ZONE == "Asia/Shanghai"
    assert live.USE_TZ is True
    assert live.LANGUAGE_CODE == "zh-hans"
    assert live.AUTH_USER_MODEL == "orgs.User"


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    code = "from django.conf import settings as s; d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    result = run(
        "shell",
        "--no-imports",
        "-c",
        code,
        FAZHI_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://u@db.example:5432/fazhi_prod",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "fazhi_prod"]


@pytest.mark.django_db
def test_every_response_carries_a_content_security_policy(client: object) -> None:
    response = client.get("/")  # type: ignore[attr-defined]
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
