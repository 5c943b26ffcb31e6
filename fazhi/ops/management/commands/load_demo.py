from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from fazhi.ops import demo


class Command(BaseCommand):
    help = _(
        "Load the demo region (新城区, 呼和浩特市) and its demo accounts; running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo.load()
        self.stdout.write(_("Demo region loaded: %(region)s.") % {"region": "内蒙古自治区/呼和浩特市/新城区"})
        self.stdout.write(
            _("Demo accounts (password for all: %(password)s):") % {"password": demo.DEMO_PASSWORD}
        )
        for login in logins:
            scope = f" · {login.scope}" if login.scope else ""
            self.stdout.write(f"  {login.username:<12} {login.label}{scope}")
