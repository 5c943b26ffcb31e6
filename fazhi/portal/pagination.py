"""Paging of public searches that may match hundreds of thousands of rows."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout


class BoundedPaginator(Paginator):
    """A paginator that counts at most `bound` rows.

    Counting every match of a broad search (every published decision of a province, a common word) reads them
    all, while the page itself reads twenty rows in index order and stops: the count was most of the time of
    such a page. Past the bound the pages end at `bound` and `truncated` says there were more, so the
    template can ask for a narrower search (nobody pages through 50 pages of 20; the filters reach the rest).
    """

    def __init__(self, object_list: Any, per_page: int, bound: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.bound = bound

    @cached_property
    def _counted(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # SELECT COUNT(*) FROM (SELECT … LIMIT bound + 1), in no order: the scan stops at the bound.
            return self.object_list.order_by()[: self.bound + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.bound)

    @cached_property
    def truncated(self) -> bool:
        return self._counted > self.bound


def bounded_page(queryset: QuerySet[Any], per_page: int, bound: int, number: Any) -> Page:
    """The page `number` of `queryset`, counted up to `bound`. The first page is read before anything is
    counted: when it is not full it is all there is, and no count is needed — a search matching a few rows
    that no index serves (a rare two-character keyword) is read once instead of twice."""
    if number in (None, "", "1", 1):
        first = list(queryset[:per_page])
        if len(first) < per_page:
            return BoundedPaginator(first, per_page, bound).page(1)
    return BoundedPaginator(queryset, per_page, bound).get_page(number)


class SearchTooSlow(Exception):
    """A public search ran past its time budget (PostgreSQL's statement_timeout) and was cancelled."""


@contextlib.contextmanager
def time_budget(milliseconds: int) -> Iterator[None]:
    """Run the queries of the block with a time limit each, on PostgreSQL; SearchTooSlow when one runs out.

    A public search page must not let one visitor's rare short keyword (a substring search no index can serve,
    e.g. two Chinese characters) occupy a database connection for seconds while others wait. SQLite (the
    one-machine trial) has no such limit: the block runs as it is."""
    if connection.vendor != "postgresql" or milliseconds <= 0:
        yield
        return
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [int(milliseconds)])
            yield
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
            raise SearchTooSlow from error
        raise
