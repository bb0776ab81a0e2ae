"""Passwords for shared databases: the OS keyring, or nowhere.

Where no keyring backend exists (a headless Linux box), ``available()`` is False and the GUI asks
for the password each time. Nothing here ever writes a password to a file or a log.

``keyring`` is imported when a password is first looked for, not with this module: finding the
backends reads every installed package's entry points, about 20 MB and a tenth of a second that a
workstation on the embedded database never needs.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

SERVICE = "MASH Desk"


class CredentialStore(Protocol):
    def available(self) -> bool: ...

    def get(self, key: str, user: str) -> str | None: ...

    def set(self, key: str, user: str, password: str) -> None: ...

    def delete(self, key: str, user: str) -> None: ...


class KeyringStore:
    """The operating system's keyring (Windows Credential Manager, macOS Keychain, Secret Service)."""

    def available(self) -> bool:
        import keyring  # noqa: PLC0415 - imported when needed (module docstring)
        from keyring.backends import fail  # noqa: PLC0415

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            return False
        # keyrings.alt's plaintext backends are never acceptable; treat them as no keyring at all
        return "keyrings.alt" not in type(backend).__module__

    def get(self, key: str, user: str) -> str | None:
        if not self.available():
            return None
        import keyring  # noqa: PLC0415 - imported when needed (module docstring)
        import keyring.errors  # noqa: PLC0415

        try:
            return keyring.get_password(SERVICE, _entry(key, user))
        except keyring.errors.KeyringError:
            return None

    def set(self, key: str, user: str, password: str) -> None:
        import keyring  # noqa: PLC0415 - imported when needed (module docstring)
        import keyring.errors  # noqa: PLC0415

        if not self.available():
            raise keyring.errors.NoKeyringError("No keyring is available on this computer.")
        keyring.set_password(SERVICE, _entry(key, user), password)

    def delete(self, key: str, user: str) -> None:
        if not self.available():
            return
        import keyring  # noqa: PLC0415 - imported when needed (module docstring)
        import keyring.errors  # noqa: PLC0415

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, _entry(key, user))


class MemoryStore:
    """A keyring that forgets when the process ends: tests, and sessions with remembering switched off."""

    def __init__(self, *, available: bool = True) -> None:
        self._available = available
        self.saved: dict[tuple[str, str], str] = {}

    def available(self) -> bool:
        return self._available

    def get(self, key: str, user: str) -> str | None:
        return self.saved.get((key, user))

    def set(self, key: str, user: str, password: str) -> None:
        if not self._available:
            import keyring.errors  # noqa: PLC0415

            raise keyring.errors.NoKeyringError("No keyring is available on this computer.")
        self.saved[(key, user)] = password

    def delete(self, key: str, user: str) -> None:
        self.saved.pop((key, user), None)


def _entry(key: str, user: str) -> str:
    return f"{user}@{key}"
