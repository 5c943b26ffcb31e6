"""`fazhi worker`: run the background jobs (plan imports, and later reminders) until stopped.

`fazhi worker --once` does what is due and exits, for cron. Several workers may run at once, on several
servers: jobs are taken from the database queue with row locks (django-tasks-db), so each runs once.
"""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker


def run_queued_jobs() -> None:
    """Run every job waiting in the queue, then return."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    ).run()


class Command(BaseCommand):
    help = _("Run background jobs until stopped; with --once, run what is due and exit (for cron).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=_("Run what is due, then exit."))
        parser.add_argument(
            "--interval", type=float, default=2.0, help=_("Seconds to wait when there is nothing to do.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stopping = False
        if not options["once"]:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
            self.stdout.write(_("Worker started; Ctrl+C stops it."))
        while True:
            run_queued_jobs()
            if options["once"] or self.stopping:
                return
            time.sleep(options["interval"])

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        # Let the job that is running finish; stop before the next one.
        self.stopping = True
        if signum == signal.SIGINT:
            raise SystemExit(0)
