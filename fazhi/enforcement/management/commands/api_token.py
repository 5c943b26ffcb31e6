"""`fazhi api-token --user NAME [--days N]`: print a bearer token for the enforcement API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from fazhi.enforcement import api
from fazhi.orgs.models import User


class Command(BaseCommand):
    help = _(
        "Print a bearer token for the enforcement API, signed with the secret key. It expires after the "
        "given days; changing the account's password revokes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help=_("The account the token acts as."))
        parser.add_argument(
            "--days", type=int, default=api.DEFAULT_TOKEN_DAYS, help=_("Days until it expires.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("No active account with the username “%(username)s”.") % {"username": options["user"]}
            )
        if not 1 <= options["days"] <= api.MAX_TOKEN_DAYS:
            raise CommandError(_("--days must be between 1 and %(max)d.") % {"max": api.MAX_TOKEN_DAYS})
        self.stdout.write(api.make_token(user, options["days"]))
