"""`fazhi worker`: run the background work until stopped; `fazhi worker --once` does one pass and exits.

Each pass runs the queued jobs (plan imports), tells people about reminders and cards (`chasing.scan`) and
about publishing last year's annual report (`reports.reminders.remind`), once a day about enforcement time
limits (`enforcement.reminders`: the statutory periods of open cases, decisions not published in time), sends
the queued e-mail and SMS (`deliver_pending`, until none is due), and once a day removes evidence files left
behind by rolled-back uploads. Several workers may run at once, on several servers: jobs are taken from the
database queue with row locks (django-tasks-db), events are claimed once (fazhi.notifications.models) and
deliveries under row locks, so nothing runs, is told or is sent twice.
"""

from __future__ import annotations

import datetime
import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker

from fazhi.audit.recorder import acting_as
from fazhi.enforcement import reminders as enforcement_reminders
from fazhi.notifications.delivery import deliver_pending
from fazhi.reports import files as report_files
from fazhi.reports import reminders
from fazhi.supervision import chasing, files

logger = logging.getLogger(__name__)

# The scan is idempotent and cheap, but it need not run every two seconds: once an hour (and at once when the
# date changes) catches a round opened during the day whose reminder date is today.
SCAN_EVERY = datetime.timedelta(hours=1)


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


def deliver_all() -> int:
    """Send every delivery that is due; returns how many were attempted."""
    attempted = 0
    while True:
        # Each call leaves the rows it claimed sent, failed or waiting for a later retry, so this ends.
        result = deliver_pending()
        attempted += result.total
        if not result.total:
            return attempted


@dataclass
class PassState:
    """What this process has done already: the scan's last run, and the days of the last enforcement reminders
    and sweep."""

    scanned_at: datetime.datetime | None = None
    scanned_on: datetime.date | None = None
    enforcement_on: datetime.date | None = None
    swept_on: datetime.date | None = None


def _guarded(name: str, function: Callable[[], Any]) -> bool:
    # One broken part (the mail server down, a bad job) is logged and must not stop the others, nor the loop.
    try:
        function()
    except Exception:
        logger.exception("worker: %s failed", name)
        return False
    return True


def run_pass(state: PassState) -> None:
    """One pass of the worker: jobs, the chasing scan (when due), deliveries, the daily sweep."""
    with acting_as(None, "worker"):
        _guarded("queued jobs", run_queued_jobs)
        now = timezone.now()
        today = timezone.localdate(now)
        due = state.scanned_on != today or state.scanned_at is None or now - state.scanned_at >= SCAN_EVERY
        if due and _guarded("chasing scan", lambda: chasing.scan(today)):
            state.scanned_at, state.scanned_on = now, today
            _guarded("annual report reminders", lambda: reminders.remind(today))
        if state.enforcement_on != today and remind_enforcement(today):
            state.enforcement_on = today
        _guarded("deliveries", deliver_all)
        if state.swept_on != today and _guarded("evidence sweep", sweep_orphans):
            state.swept_on = today


def remind_enforcement(today: datetime.date) -> bool:
    """The day's reminders of case time limits and late publications; True when both went through.

    Once a day is enough: the dates they go by change only with the day (a step recorded with an earlier date
    later in the day is told the next morning). Both are idempotent, so a failed one is simply run again, with
    the other, on the next pass."""
    deadlines = _guarded("case time limit reminders", lambda: enforcement_reminders.remind_deadlines(today))
    publications = _guarded(
        "late publication reminders", lambda: enforcement_reminders.remind_publications(today)
    )
    return deadlines and publications


def sweep_orphans() -> int:
    """Remove the files of uploads rolled back after they were stored: progress reports' and entered values'
    evidence."""
    return files.sweep_orphans() + report_files.sweep_orphans()


class Command(BaseCommand):
    help = _(
        "Run background jobs, reminders and message sending until stopped; with --once, run what is due and "
        "exit (for cron)."
    )

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
        state = PassState()
        while True:
            run_pass(state)
            if options["once"] or self.stopping:
                return
            time.sleep(options["interval"])

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        # Let the job that is running finish; stop before the next one.
        self.stopping = True
        if signum == signal.SIGINT:
            raise SystemExit(0)
