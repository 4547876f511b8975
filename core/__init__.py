"""huodong: a plugin-based activity and event framework for trade unions.

Plugins import :data:`hookimpl` from here to implement the hooks declared in
:mod:`core.hookspecs`::

    from core import hookimpl

    @hookimpl
    def huodong_menu_items(account, event):
        ...
"""

import pluggy

__version__ = "0.1.0"

PROJECT = "huodong"

hookimpl = pluggy.HookimplMarker(PROJECT)
hookspec = pluggy.HookspecMarker(PROJECT)

__all__ = ["PROJECT", "hookimpl", "hookspec", "__version__"]
