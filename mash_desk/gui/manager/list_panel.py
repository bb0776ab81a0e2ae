"""A manager's list that holds no contact to open: its own count line, and Enter running the page's
action for the row when there is one (the duplicates page) or nothing (the restricted records)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from mash_desk.gui.inbox_models import LoadedListModel
from mash_desk.gui.queue_panels import TablePanel


class ListPanel(TablePanel):
    """A list to filter (Ctrl+F) and sort, with no Open button; ``activate`` is what Enter on a row does."""

    def __init__(
        self,
        model: LoadedListModel[Any],
        *,
        empty_text: str,
        count: Callable[[int], str],
        parent: QWidget,
        activate: Callable[[], None] | None = None,
    ) -> None:
        self._count = count
        self._activate = activate
        super().__init__(model, empty_text=empty_text, parent=parent)
        self.open_button.hide()
        model.loaded.connect(self._rows_changed)

    def open_current(self) -> None:
        if self._activate is None:
            super().open_current()
        elif self.current_row() is not None:
            self._activate()

    def count_text(self) -> str:
        return self._count(self.model.rowCount())
