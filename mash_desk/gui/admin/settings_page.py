"""Hub-wide settings: the dashboard's targets, how long a workstation may stand idle before it locks
(read when someone signs in), and the local authority's code the statutory returns carry."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from mash_desk.domain.words import counted
from mash_desk.gui.admin.form import AdminForm
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.manager import HIGHER_IS_BETTER
from mash_desk.services.policy import (
    MAX_IDLE_LOCK_MINUTES,
    MIN_IDLE_LOCK_MINUTES,
    dashboard_targets,
    hub_la_code,
    idle_lock_minutes,
    set_dashboard_targets,
    set_idle_lock_minutes,
    set_la_code,
)


def measure_words(key: str) -> str:
    return {
        # mnemonics clear of the menus' (Work, Contact, View, Reports, Administration, Help)
        "decided_within_one_working_day": tr("Decided within &one working day"),
        "completed_within_rag": tr("Completed w&ithin the RAG timescale"),
        "agency_returns_on_time": tr("A&gency returns on time"),
        "re_referrals": tr("Re-re&ferrals within 12 months"),
        "nfa": tr("Children decided &no further action"),
        "decisions_returned": tr("Decisions re&turned at review"),
    }.get(key, key)


def target_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class SettingsPage(QWidget):
    message = Signal(str)
    """Emitted with a sentence for the status bar."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner = window.runner
        self._ctx = window.ctx
        layout = QHBoxLayout(self)
        self.targets_form = AdminForm(tr("Dashboard targets"), runner, self)
        self.targets_form.explain(
            tr(
                "A percentage from 0 to 100 for each headline measure on the dashboard, or blank for none (the "
                "figure is then shown for context only). Whether more or less is better is fixed."
            )
        )
        self.target_edits: dict[str, QLineEdit] = {}
        for key, higher in HIGHER_IS_BETTER.items():
            edit = QLineEdit(self)
            edit.setPlaceholderText(tr("no target"))
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("no target") * 2)
            edit.returnPressed.connect(self.save_targets)
            direction = tr("at least") if higher else tr("at most")
            caption = tr("{measure} ({direction}, %):").format(measure=measure_words(key), direction=direction)
            self.target_edits[key] = self.targets_form.field(f"targets.{key}", caption, edit)
        self.save_targets_button = self.targets_form.button(tr("&Save targets"), self.save_targets, primary=True)
        self.lock_form = AdminForm(tr("Locking an idle workstation"), runner, self)
        self.lock_form.explain(
            tr(
                "After this many minutes without a key pressed or the mouse moved, the window hides everything "
                "and asks for the person's password again. From {low} to {high} minutes; each person's window "
                "takes the new value the next time they sign in."
            ).format(low=MIN_IDLE_LOCK_MINUTES, high=MAX_IDLE_LOCK_MINUTES)
        )
        self.minutes_edit = self.lock_form.field("idle_lock_minutes", tr("Lock after (&minutes):"), QLineEdit(self))
        self.minutes_edit.setMaximumWidth(self.minutes_edit.fontMetrics().horizontalAdvance("0000") * 3)
        self.minutes_edit.returnPressed.connect(self.save_minutes)
        self.save_minutes_button = self.lock_form.button(tr("Save &lock time"), self.save_minutes, primary=True)
        self.la_form = AdminForm(tr("Statutory returns"), runner, self)
        self.la_form.explain(
            tr(
                "Your local authority's three-digit DfE code (821 is Luton's). The managers' statutory lists use "
                "it, so nobody types it for each return."
            )
        )
        self.la_edit = self.la_form.field("la", tr("Local authorit&y code:"), QLineEdit(self))
        self.la_edit.setMaxLength(3)
        self.la_edit.setMaximumWidth(self.la_edit.fontMetrics().horizontalAdvance("0000") * 3)
        self.la_edit.returnPressed.connect(self.save_la_code)
        self.save_la_button = self.la_form.button(tr("Save LA cod&e"), self.save_la_code, primary=True)
        for form in (self.targets_form, self.lock_form, self.la_form):
            form.done.connect(lambda sentence: emit(self.message, sentence))
        left = QVBoxLayout()
        left.addWidget(self.targets_form)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.lock_form)
        right.addWidget(self.la_form)
        right.addStretch(1)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.setFocusProxy(next(iter(self.target_edits.values())))

    def reload(self) -> None:
        ctx = self._ctx
        self._runner.run(lambda: dashboard_targets(ctx), self._fill_targets, self.targets_form.refused, owner=self)
        self._runner.run(
            lambda: idle_lock_minutes(ctx),
            lambda minutes: self.minutes_edit.setText(str(minutes)),
            self.lock_form.refused,
            owner=self,
        )
        self._runner.run(
            lambda: hub_la_code(ctx),
            lambda code: self.la_edit.setText(code or ""),
            self.la_form.refused,
            owner=self,
        )

    def _fill_targets(self, targets: dict[str, float | None]) -> None:
        for key, edit in self.target_edits.items():
            edit.setText(target_text(targets.get(key)))

    def save_targets(self) -> None:
        values: dict[str, object] = {}
        problems: dict[str, str] = {}
        for key, edit in self.target_edits.items():
            text = edit.text().strip().rstrip("%").strip()
            if not text:
                values[key] = None
                continue
            try:
                values[key] = float(text)
            except ValueError:
                problems[f"targets.{key}"] = tr("Enter a percentage such as 90 or 22.5, or leave it blank for none.")
        if problems:
            self.targets_form.fail(problems)
            return
        ctx = self._ctx

        def saved(targets: dict[str, float | None]) -> None:
            self._fill_targets(targets)
            self.targets_form.succeeded(tr("Saved the dashboard's targets."))

        self.targets_form.run(lambda: set_dashboard_targets(ctx, values), saved, label=tr("Saving the targets"))

    def save_minutes(self) -> None:
        text = self.minutes_edit.text().strip()
        if not text.isdigit():
            self.lock_form.fail({"idle_lock_minutes": tr("Enter a whole number of minutes, such as 15.")})
            return
        minutes, ctx = int(text), self._ctx

        def saved(value: int) -> None:
            self.minutes_edit.setText(str(value))
            self.lock_form.succeeded(
                tr("Workstations lock after {minutes} idle, from each person's next sign-in.").format(
                    minutes=counted(value, tr("minute"), tr("minutes"))
                )
            )

        self.lock_form.run(lambda: set_idle_lock_minutes(ctx, minutes), saved, label=tr("Saving the lock time"))

    def save_la_code(self) -> None:
        code, ctx = self.la_edit.text(), self._ctx

        def saved(value: str) -> None:
            self.la_edit.setText(value)
            self.la_form.succeeded(tr("The statutory returns carry local authority code {code}.").format(code=value))

        self.la_form.run(lambda: set_la_code(ctx, code), saved, label=tr("Saving the LA code"))
