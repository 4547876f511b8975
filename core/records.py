"""Quick construction of frozen slots dataclasses in inner loops.

Records such as the scoring engine's results and placings or a feed's items are frozen slots
dataclasses: immutable, hashable, comparable, and ``dataclasses.replace`` works on them. Their
generated ``__init__`` sets each field through ``object.__setattr__`` (and some also check their
values in ``__post_init__``), which makes building one several times slower than building a
tuple. A sports day's standings or a feed of thousands of events create tens of thousands of
them, so their inner loops use :func:`maker` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

__all__ = ["maker"]


def maker(cls: type) -> Callable[..., object]:
    """A constructor for the frozen slots dataclass ``cls`` taking every field positionally.

    It fills the slots directly and runs neither ``__init__`` nor ``__post_init__``: use it only
    with values the class itself would accept unchanged (the same types, already validated).
    The object it builds is an ordinary instance of ``cls``.
    """
    names = [f.name for f in fields(cls)]
    if not all(name in getattr(cls, "__slots__", ()) for name in names):
        raise TypeError(f"{cls.__name__} is not a slots dataclass")
    scope = {"_new": object.__new__, "_cls": cls}
    lines = []
    for n, name in enumerate(names):
        scope[f"_set{n}"] = getattr(cls, name).__set__
        lines.append(f"    _set{n}(o, a{n})")
    args = ", ".join(f"a{n}" for n in range(len(names)))
    source = f"def make({args}):\n    o = _new(_cls)\n" + "\n".join(lines) + "\n    return o\n"
    exec(source, scope)  # noqa: S102 - generated from the dataclass's own field names, as dataclasses does
    make = scope["make"]
    make.__name__ = make.__qualname__ = f"make_{cls.__name__}"
    make.__doc__ = f"Build a {cls.__name__} from ({', '.join(names)}) without checks."
    return make
