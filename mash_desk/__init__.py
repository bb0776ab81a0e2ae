"""MASH Desk: the front door of a Multi-Agency Safeguarding Hub."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mash-desk")
except PackageNotFoundError:  # running from a frozen bundle or a bare checkout
    __version__ = "0.1.0"
