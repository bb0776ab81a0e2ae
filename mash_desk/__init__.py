"""MASH Desk: the front door of a Multi-Agency Safeguarding Hub."""

__version__ = "0.1.0"
"""Written here as in ``pyproject.toml`` (a test keeps the two equal), so the program never reads the
installed package's metadata at start-up: ``importlib.metadata``, with the email parser and zip reader it
brings, was a tenth of a second of every launch."""
