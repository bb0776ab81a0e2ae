"""Every action's dialog, each behind a ``classmethod ask()`` that tests replace."""
