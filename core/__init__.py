"""huodong: a plugin-based activity and event framework for trade unions.

Plugins import :data:`hookimpl` from here to implement the hooks declared in
:mod:`core.hookspecs`::

    from core import hookimpl

    @hookimpl
    def huodong_menu_items(account, event):
        ...
"""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - setup.cfg's python_requires stops pip; this stops a checkout run directly
    raise RuntimeError(f"huodong needs Python 3.11 or newer; this is Python {sys.version.split()[0]}")

import pluggy  # noqa: E402

__version__ = "0.1.0"

PROJECT = "huodong"

hookimpl = pluggy.HookimplMarker(PROJECT)
hookspec = pluggy.HookspecMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec", "__version__"]
