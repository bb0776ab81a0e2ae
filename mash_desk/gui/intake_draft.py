"""The intake form's draft on disk: what was typed, kept until the contact is saved.

A crash, a closed window or a dropped connection never throws a half-typed contact away. The draft
holds the widgets' raw contents (even a half-typed date), as JSON in the user's data folder, written
atomically; it is deleted only when the contact has been saved.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QWidget

from mash_desk.paths import drafts_dir

FORMAT = 1
Json = Any


def _data_text(value: object) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    return "" if value is None else str(value)


def read_widget(widget: QWidget) -> Json:
    """A widget's contents as JSON (strings for text, the item's code for a combo)."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return _data_text(widget.currentData())
    if isinstance(widget, QListWidget):
        return [
            _data_text(widget.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(widget.count())
            if widget.item(i).checkState() is Qt.CheckState.Checked
        ]
    raise TypeError(f"cannot keep the contents of a {type(widget).__name__} in a draft")


def write_widget(widget: QWidget, value: Json) -> None:
    """Put JSON from ``read_widget`` back; values that no longer fit are left as they are."""
    if isinstance(widget, QLineEdit) and isinstance(value, str):
        widget.setText(value)
    elif isinstance(widget, QPlainTextEdit) and isinstance(value, str):
        widget.setPlainText(value)
    elif isinstance(widget, QCheckBox) and isinstance(value, bool):
        widget.setChecked(value)
    elif isinstance(widget, QComboBox):
        for index in range(widget.count()):
            if _data_text(widget.itemData(index)) == value:
                widget.setCurrentIndex(index)
                break
    elif isinstance(widget, QListWidget) and isinstance(value, list):
        wanted = set(value)
        for i in range(widget.count()):
            item = widget.item(i)
            ticked = _data_text(item.data(Qt.ItemDataRole.UserRole)) in wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)


def read_widgets(widgets: dict[str, QWidget]) -> dict[str, Json]:
    return {name: read_widget(widget) for name, widget in widgets.items()}


def write_widgets(widgets: dict[str, QWidget], values: dict[str, Json]) -> None:
    for name, widget in widgets.items():
        if name in values:
            write_widget(widget, values[name])


@dataclass(frozen=True)
class SavedDraft:
    saved_at: datetime
    state: dict[str, Json]


class DraftFile:
    """One person's intake draft (``drafts/intake-<login>.json``)."""

    def __init__(self, login: str, folder: Path | None = None) -> None:
        safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in login)
        self.path = (folder or drafts_dir()) / f"intake-{safe}.json"

    def exists(self) -> bool:
        return self.path.exists()

    def save(self, state: dict[str, Json]) -> datetime:
        saved_at = datetime.now(UTC)
        document = {"format": FORMAT, "saved_at": saved_at.isoformat(), "state": state}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)
        return saved_at

    def load(self) -> SavedDraft | None:
        """The draft, or None if there is none (or it cannot be read: then it is kept for IT to look at)."""
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            return SavedDraft(datetime.fromisoformat(document["saved_at"]), dict(document["state"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def delete(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
