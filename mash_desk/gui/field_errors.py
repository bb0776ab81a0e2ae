"""Validation messages shown at the field: a line of text under it, a marked border, focus to the first.

Services report ``InvalidInput.field_errors`` keyed by field path (``children.0.nhs_number``);
forms bind those keys to their widgets once, and this shows whatever comes back. A key no widget
claims goes to the form's banner, so no message is ever dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QBoxLayout, QFormLayout, QLabel, QLayout, QWidget


@dataclass
class _Binding:
    widget: QWidget
    label: QLabel | None = None


def set_flag(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the style sheet matches on, and repaint with it."""
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def _locate(layout: QLayout, widget: QWidget) -> tuple[QLayout, int] | None:
    """The layout holding ``widget`` (``layout`` or one nested in it) and the widget's index in it.

    Qt is asked (``indexOf``, and a nested layout is a child of the one holding it) rather than the items
    walked with ``itemAt``: PySide keeps the wrapper of every item ``itemAt`` hands out for as long as the
    layout lives, and when Qt deletes that item (its widget deleted or moved) the wrapper is left pointing
    at freed memory. A later object made at the same address was then answered by the stale wrapper (a
    table's model read as a ``QWidgetItem``), and Qt crashed (a segmentation fault) opening a contact after
    the intake form had shown its messages.
    """
    index = layout.indexOf(widget)
    if index >= 0:
        return layout, index
    for inner in layout.children():
        if isinstance(inner, QLayout):
            found = _locate(inner, widget)
            if found is not None:
                return found
    return None


class FieldErrorDisplay(QObject):
    """Puts each field's message under the field, and the rest in the banner."""

    def __init__(self, banner: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._banner = banner
        self._bindings: dict[str, _Binding] = {}
        banner.hide()

    def bind(self, key: str, widget: QWidget) -> None:
        self._bindings[key] = _Binding(widget)

    def unbind(self, prefix: str) -> None:
        """Forget every key under ``prefix`` (a child editor removed from the form)."""
        for key in [k for k in self._bindings if k.startswith(prefix)]:
            binding = self._bindings.pop(key)
            if binding.label is not None:
                binding.label.hide()
                binding.label.deleteLater()

    def keys(self) -> list[str]:
        return list(self._bindings)

    def widget_for(self, key: str) -> QWidget | None:
        """The field the message for ``key`` is shown at (None: it goes to the banner)."""
        binding = self._bindings.get(key)
        return binding.widget if binding is not None else None

    def clear(self) -> None:
        for binding in self._bindings.values():
            if binding.label is not None:
                binding.label.hide()
                binding.label.clear()
            if binding.widget.property("invalid"):
                set_flag(binding.widget, "invalid", False)
                binding.widget.setAccessibleDescription("")
        self._banner.hide()
        self._banner.clear()

    def show(self, errors: Mapping[str, str], *, summary: str = "", focus: bool = True) -> QWidget | None:
        """Show ``errors``; returns the first bad field in form order, which gets the focus unless
        ``focus`` is False (a check made as the person leaves a field must not pull them back)."""
        self.clear()
        unclaimed: list[str] = []
        for key, message in errors.items():
            binding = self._bindings.get(key)
            if binding is None:
                unclaimed.append(message)
                continue
            self._mark(binding, message)
        lines = [summary] if summary else []
        lines += unclaimed
        if lines:
            self._banner.setText("\n".join(lines))
            self._banner.setAccessibleName(" ".join(lines))
            self._banner.show()
        first = next((b.widget for k, b in self._bindings.items() if k in errors), None)
        if first is not None and focus:
            first.setFocus()
        return first

    def message_at(self, key: str) -> str | None:
        """The message showing under ``key``'s field, if any (what a person sees there)."""
        binding = self._bindings.get(key)
        if binding is None or binding.label is None or binding.label.isHidden():
            return None
        return str(binding.label.property("message"))

    def banner_text(self) -> str:
        return "" if self._banner.isHidden() else self._banner.text()

    def _mark(self, binding: _Binding, message: str) -> None:
        widget = binding.widget
        set_flag(widget, "invalid", True)
        widget.setAccessibleDescription(message)
        if binding.label is None:
            binding.label = self._make_label(widget)
        binding.label.setText(f"⚠ {message}")
        binding.label.setProperty("message", message)
        binding.label.setAccessibleName(self.tr("Error: {message}").format(message=message))
        binding.label.show()

    def _make_label(self, widget: QWidget) -> QLabel:
        parent = widget.parentWidget()
        label = QLabel(parent)
        label.setObjectName("fieldError")
        label.setWordWrap(True)
        label.hide()
        layout = parent.layout() if parent is not None else None
        found = _locate(layout, widget) if layout is not None else None
        if found is not None:
            owner, index = found
            if isinstance(owner, QFormLayout):
                position = owner.getWidgetPosition(widget)
                row = position[0] if isinstance(position, tuple) else index
                owner.insertRow(int(row) + 1, "", label)
            elif isinstance(owner, QBoxLayout):
                owner.insertWidget(index + 1, label)
            else:
                owner.addWidget(label)
        return label
