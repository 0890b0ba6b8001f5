"""``python -m notecheck``: the command line."""

from notecheck.cli import entry_point

entry_point()
