"""Long lists shown a page at a time: the page's rows, where it is, and how many there are in all.

A query is paged in the order it gives, so it must give a stable one (end the ``ORDER BY`` with
a unique column); the page number asked for is held within the pages there are.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page of a list: its ``items``, its ``number`` (from 1), the page ``size`` and the ``total`` of rows."""

    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def first_row(self) -> int:
        """The position of the page's first row in the whole list (from 1; 0 for an empty list)."""
        return (self.number - 1) * self.size + 1 if self.items else 0


def paginate(query, number: int, size: int) -> Page:
    """Page ``number`` of ``query`` (two queries: the count and the page's rows)."""
    total = query.count()
    number = min(max(number, 1), max(1, -(-total // size)))
    items = list(query.paginate(number, size)) if total else []
    return Page(items=items, number=number, size=size, total=total)
