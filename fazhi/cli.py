"""The `fazhi` command: the operations interface, in front of Django's management commands.

`fazhi load-demo`, `fazhi audit verify`, `fazhi backup FILE`… map to management commands with the hyphens
turned into underscores (load_demo, audit, backup); everything Django offers (migrate, runserver,
createsuperuser) is there too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "fazhi"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
