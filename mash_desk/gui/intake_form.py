"""The contact intake form: children, household and adults, referrer, concerns, and what is happening.

Saving calls ``services.intake.log_contact`` on a worker: the contact is saved whole or not at all.
Every problem comes back at its field (``InvalidInput`` keys such as ``children.0.nhs_number``),
focus goes to the first, and nothing typed is lost: the form keeps its contents through any
failure, and a draft on disk keeps them through a crash or a closed window.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from itertools import pairwise
from typing import TypeVar

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.cin import REFERRAL_SOURCES
from mash_desk.domain.enums import Channel, Concern, HousingTenure, ParentsAware, ReferrerKind, Role
from mash_desk.domain.errors import DatabaseUnavailable, InvalidInput, MashDeskError
from mash_desk.domain.moments import MomentError, format_moment, parse_moment
from mash_desk.domain.names import normalise_name
from mash_desk.domain.timescales import LONDON
from mash_desk.domain.validation import normalise_postcode
from mash_desk.gui.field_errors import FieldErrorDisplay
from mash_desk.gui.forms import load_form, need
from mash_desk.gui.intake_draft import DraftFile, Json, SavedDraft, read_widgets, write_widgets
from mash_desk.gui.intake_fields import FormField, layout, read_draft, widget_names
from mash_desk.gui.messages import ConfirmDialog, ErrorChoice, ErrorDialog, shortcut_text
from mash_desk.gui.person_editors import AdultEditor, ChildEditor, PersonEditor
from mash_desk.gui.person_matches import MatchesPanel, attach_link_shortcut
from mash_desk.gui.problem_list import ProblemList
from mash_desk.gui.shortcuts_help import POLICE_PRESET_KEY
from mash_desk.gui.signals import emit
from mash_desk.gui.widgets import (
    checked,
    combos_may_shrink,
    ctrl_enter_finishes,
    enum_data,
    fill_checkable,
    fill_codes,
    fill_enum,
    set_checked,
    set_combo_value,
)
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import enum_words, parents_aware_words, referral_source_tip, referral_source_words, tr, when
from mash_desk.services import intake, presets
from mash_desk.services.context import Actor
from mash_desk.services.drafts import ContactDraft
from mash_desk.services.intake import LoggedContact
from mash_desk.services.presets import FilledPreset
from mash_desk.services.search import PersonMatch, PersonQuery

DRAFT_DELAY_MS = 800
E = TypeVar("E", bound=Enum)

TOP_FIELDS = widget_names()
"""The form's own widgets, named after the draft's fields (``intake_fields``); the people have editors."""


def problem_place(key: str) -> str:
    """Which part of the form a field message is about: "Child 2", "Adult 1", "Referrer", "Household"."""
    part, _dot, rest = key.partition(".")
    if part in ("children", "adults"):
        number, _dot, _field = rest.partition(".")
        if number.isdigit():
            label = tr("Child {number}") if part == "children" else tr("Adult {number}")
            return label.format(number=int(number) + 1)
    return {"referrer": tr("Referrer"), "household": tr("Household")}.get(part, "") if rest else ""


class DraftPrompt:
    """Offer to bring back a contact that was being typed when the window closed."""

    @classmethod
    def ask(cls, parent: QWidget | None, saved_at: datetime) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Unsaved contact"),
            tr(
                "You were typing a contact that was not saved (kept at {when}). "
                "Carry on with it, or start a new one and throw it away?"
            ).format(when=when(saved_at)),
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        restore = box.addButton(tr("Carry on with it"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Start again and discard it"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        ctrl_enter_finishes(box)
        box.exec()
        return box.clickedButton() is restore


class IntakeForm(QWidget):
    contact_saved = Signal(object)
    """Emitted with the ``LoggedContact`` once the contact is saved (the draft is gone by then)."""
    discarded = Signal()
    """Emitted when the person threw the form (and its draft) away."""
    save_failed = Signal(object)
    """Emitted with the ``MashDeskError`` when a save did not happen; the form keeps everything."""

    def __init__(
        self,
        window: WindowContext,
        draft_file: DraftFile,
        *,
        restore: SavedDraft | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = window.runner
        self._ctx = window.ctx
        self._clock = window.clock
        self._draft_file = draft_file
        self._saving = False
        self._restoring = False
        self._search_editor: ChildEditor | None = None
        self.child_editors: list[ChildEditor] = []
        self.adult_editors: list[AdultEditor] = []
        form = load_form("intake_form.ui", self)
        self.top: dict[str, QWidget] = {name: need(form, QWidget, name) for name in TOP_FIELDS}
        self.banner = need(form, QLabel, "banner")
        self.notice_label = need(form, QLabel, "notice_label")
        self.draft_label = need(form, QLabel, "draft_label")
        self.scroll_area = need(form, QScrollArea, "scroll_area")
        self.children_box = need(form, QWidget, "children_box")
        self.adults_box = need(form, QWidget, "adults_box")
        self.add_child_button = need(form, QPushButton, "add_child_button")
        self.add_adult_button = need(form, QPushButton, "add_adult_button")
        self.save_button = need(form, QPushButton, "save_button")
        self.discard_button = need(form, QPushButton, "discard_button")
        self.errors = FieldErrorDisplay(self.banner, self)
        self.notice_label.hide()
        # after a refused save: each problem, Enter or a click takes the cursor to its field
        self.problems = ProblemList(self.go_to_field, self)
        banner_host = self.banner.parentWidget()
        banner_layout = banner_host.layout() if banner_host is not None else None
        if isinstance(banner_layout, QBoxLayout):
            banner_layout.insertWidget(banner_layout.indexOf(self.banner) + 1, self.problems)
        self._tab_order: list[QWidget] = []
        self.preset_button = QPushButton(self)
        self.preset_button.setObjectName("police_preset_button")
        need(form, QFormLayout, "contact_layout").insertRow(0, self.preset_button)

        matches_area = need(form, QWidget, "matches_area")
        self.matches = MatchesPanel(window, matches_area)
        QVBoxLayout(matches_area).addWidget(self.matches)
        self.matches.link_requested.connect(self.link_child)
        attach_link_shortcut(self.matches, self)

        self._fill_choices(window.actor)
        combos_may_shrink(form)
        self._bind_errors()
        self._add_shortcuts()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        self._watch_top()
        self.add_child_button.clicked.connect(lambda: self.add_child(focus=True))
        self.add_adult_button.clicked.connect(lambda: self.add_adult(focus=True))
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.add_child()
        if restore is not None:
            self.restore(restore.state)
            self.notice_label.setText(
                tr("Restored the contact you were typing (kept at {when}). Nothing has been saved yet.").format(
                    when=when(restore.saved_at)
                )
            )
            self.notice_label.show()
        self._chain_tab_order()

    def focus_first(self) -> None:
        """Put the cursor where a contact starts: the first child's family name."""
        self.child_editors[0].first_to_type().setFocus()

    # --- building --------------------------------------------------------------------------------

    def combo(self, name: str) -> QComboBox:
        widget = self.top[name]
        assert isinstance(widget, QComboBox)
        return widget

    def line(self, name: str) -> QLineEdit:
        widget = self.top[name]
        assert isinstance(widget, QLineEdit)
        return widget

    def check(self, name: str) -> QCheckBox:
        widget = self.top[name]
        assert isinstance(widget, QCheckBox)
        return widget

    def text(self, name: str) -> str:
        widget = self.top[name]
        assert isinstance(widget, QPlainTextEdit)
        return widget.toPlainText()

    def _fill_choices(self, actor: Actor) -> None:
        self.line("received_at").setText(format_moment(self._local_now()))
        fill_enum(self.combo("channel"), list(Channel))
        fill_codes(
            self.combo("referral_source"),
            [(code, referral_source_words(code)) for code in REFERRAL_SOURCES],
            blank=tr("— choose where it came from —"),
            tip=referral_source_tip,
        )
        fill_enum(self.combo("referrer_kind"), list(ReferrerKind))
        fill_enum(self.combo("tenure"), list(HousingTenure))
        set_combo_value(self.combo("tenure"), HousingTenure.UNKNOWN)
        concerns = self.top["concerns"]
        assert isinstance(concerns, QListWidget)
        fill_checkable(concerns, [(concern, enum_words(concern)) for concern in Concern])
        concerns.setCurrentRow(0)
        metrics = concerns.fontMetrics()
        longest = max(metrics.horizontalAdvance(concerns.item(i).text()) for i in range(concerns.count()))
        cell = QSize(longest + 4 * metrics.height(), metrics.height() + 8)
        concerns.setGridSize(cell)
        concerns.setMinimumHeight(cell.height() * 8 + 2 * concerns.frameWidth())
        aware = self.combo("parents_aware")
        aware.addItem(tr("— choose one —"), "")  # asked of every contact: nothing is assumed
        for answer in ParentsAware:
            aware.addItem(parents_aware_words(answer), answer)
        aware.currentIndexChanged.connect(self._parents_aware_changed)
        self._parents_aware_changed()
        self.check("referrer_first_hand").setChecked(True)
        self.check("assign_to_me").setChecked(actor.role in (Role.PRACTITIONER, Role.MANAGER))

    def _parents_aware_changed(self) -> None:
        """Why not is asked only when they are not aware."""
        not_aware = enum_data(self.combo("parents_aware"), ParentsAware) is ParentsAware.NO
        self.line("parents_not_aware_reason").setEnabled(not_aware)

    def _bind_errors(self) -> None:
        """Each field's message goes under its widget; the first in form order gets the focus."""
        for item in layout():
            if isinstance(item, FormField):
                self.errors.bind(item.key, self.top[item.widget])
            elif item == "children":
                self.errors.bind("children", self.add_child_button)

    def _add_shortcuts(self) -> None:
        for text, key, slot, button in (
            (tr("Save contact"), "Ctrl+S", self.save, self.save_button),
            (tr("Add another child"), "Ctrl+Shift+C", lambda: self.add_child(focus=True), self.add_child_button),
            (tr("Add an adult"), "Ctrl+Shift+A", lambda: self.add_adult(focus=True), self.add_adult_button),
            (tr("Police notification"), POLICE_PRESET_KEY, self.fill_police_notification, self.preset_button),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            button.setText(f"{text} ({shortcut_text(key)})")
            button.setToolTip(f"{text} — {shortcut_text(key)}")

    def fill_police_notification(self) -> None:
        """Fill in what a police notification of domestic abuse always says (F2), then go to the
        officer's name: the hub's police (or the officer's own force) as the referrer's agency."""
        ctx = self._ctx
        self._runner.run(
            lambda: presets.filled_preset(ctx), self._fill_preset, label=tr("Filling in the police details")
        )

    def _fill_preset(self, preset: FilledPreset) -> None:
        set_combo_value(self.combo("channel"), preset.channel)
        set_combo_value(self.combo("referral_source"), preset.referral_source)
        set_combo_value(self.combo("referrer_kind"), preset.referrer_kind)
        concerns = self.top["concerns"]
        assert isinstance(concerns, QListWidget)
        set_checked(concerns, {*checked(concerns), *preset.concerns})  # adds to what is ticked already
        if not self.line("referrer_agency").text().strip():
            self.line("referrer_agency").setText(preset.referrer_agency)
        self._edited()
        self.line("referrer_name").setFocus()
        self.scroll_area.ensureWidgetVisible(self.line("referrer_name"))

    def _watch_top(self) -> None:
        for widget in self.top.values():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(self._edited)
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self._edited)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._edited)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self._edited)
            elif isinstance(widget, QListWidget):
                widget.itemChanged.connect(self._edited)
        self.line("postcode").textEdited.connect(self._postcode_edited)

    # --- children and adults ---------------------------------------------------------------------

    def add_child(self, *, focus: bool = False) -> ChildEditor:
        editor = ChildEditor(self.children_box)
        if self.child_editors:  # brothers and sisters mostly share a family name: typed over if not
            editor.line("family_name").setText(self.child_editors[-1].line("family_name").text())
        layout = self.children_box.layout()
        assert layout is not None
        layout.addWidget(editor)
        self.child_editors.append(editor)
        editor.changed.connect(self._edited)
        editor.changed.connect(self.show_children)
        editor.search_changed.connect(self.search_for_child)
        editor.remove_requested.connect(self._remove_person)
        self._renumber()
        if focus:
            editor.first_to_type().setFocus()
            self.scroll_area.ensureWidgetVisible(editor)
        self._edited()
        return editor

    def add_adult(self, *, focus: bool = False) -> AdultEditor:
        editor = AdultEditor(self.adults_box)
        layout = self.adults_box.layout()
        assert layout is not None
        layout.addWidget(editor)
        self.adult_editors.append(editor)
        editor.changed.connect(self._edited)
        editor.remove_requested.connect(self._remove_person)
        self._renumber()
        if focus:
            editor.first_to_type().setFocus()
            self.scroll_area.ensureWidgetVisible(editor)
        self._edited()
        return editor

    def _remove_person(self, editor: PersonEditor) -> None:
        if isinstance(editor, ChildEditor) and editor in self.child_editors and len(self.child_editors) > 1:
            self.child_editors.remove(editor)
            if self._search_editor is editor:
                self._search_editor = None
                self.matches.search_later(None, "")
        elif isinstance(editor, AdultEditor) and editor in self.adult_editors:
            self.adult_editors.remove(editor)
        else:
            return
        editor.hide()
        editor.deleteLater()
        self._renumber()
        self._edited()

    def show_children(self) -> None:
        """Beside the possible matches: each child typed, and whether they are linked to a record yet."""
        children = []
        for editor in self.child_editors:
            name = f"{editor.line('given_names').text()} {editor.line('family_name').text()}".strip()
            if name:  # a child not yet named has nothing to link
                children.append((name, editor.existing_person_id is not None))
        self.matches.show_children(children)

    def _renumber(self) -> None:
        self.show_children()
        self.errors.unbind("children.")
        self.errors.unbind("adults.")
        for index, child in enumerate(self.child_editors):
            child.set_number(index + 1, len(self.child_editors))
            child.bind_errors(self.errors, f"children.{index}.")
        for index, adult in enumerate(self.adult_editors):
            adult.set_number(index + 1, len(self.adult_editors))
            adult.bind_errors(self.errors, f"adults.{index}.")
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        order: list[QWidget] = [self.preset_button]
        for item in layout():
            if isinstance(item, FormField):
                order.append(self.top[item.widget])
                continue
            children = item == "children"
            for editor in self.child_editors if children else self.adult_editors:
                order += editor.focus_widgets()
            order.append(self.add_child_button if children else self.add_adult_button)
        order += [self.matches.view, self.matches.link_button]
        order += [self.discard_button, self.save_button]
        self._tab_order = order
        for first, second in pairwise([self.problems, *order]):
            QWidget.setTabOrder(first, second)

    # --- finding the child first -------------------------------------------------------------------

    def search_for_child(self, editor: ChildEditor) -> None:
        """Look for existing records like the child in ``editor`` (after the typing pauses)."""
        self._search_editor = editor
        self.show_children()
        given, family, born, nhs = editor.search_terms()
        postcode = self._valid_postcode()
        enough = len(normalise_name(given + family)) >= 2 or born is not None or nhs is not None
        number = self.child_editors.index(editor) + 1 if editor in self.child_editors else 0
        subject = f"{given} {family}".strip() or tr("child {number}").format(number=number)
        query = PersonQuery(given, family, born, nhs, postcode) if enough else None
        self.matches.search_later(query, subject)

    def _postcode_edited(self) -> None:
        if self._search_editor is not None:
            self.search_for_child(self._search_editor)

    def _valid_postcode(self) -> str | None:
        try:
            return normalise_postcode(self.line("postcode").text())
        except InvalidInput:
            return None

    def link_child(self, match: PersonMatch) -> None:
        """Use the existing record for the child whose details found it."""
        editor = self._search_editor
        if editor is None or editor not in self.child_editors:
            return
        editor.link(match)
        self.add_child_button.setFocus()

    # --- the draft ---------------------------------------------------------------------------------

    def _edited(self) -> None:
        if not self._restoring:
            self._draft_timer.start()

    def state(self) -> dict[str, Json]:
        return {
            "top": read_widgets(self.top),
            "children": [child.state() for child in self.child_editors],
            "adults": [adult.state() for adult in self.adult_editors],
        }

    def restore(self, state: dict[str, Json]) -> None:
        self._restoring = True
        try:
            top = state.get("top")
            if isinstance(top, dict):
                kept = top.get("received_at")
                if isinstance(kept, int):  # a draft from when the time was kept as seconds
                    top = {**top, "received_at": format_moment(datetime.fromtimestamp(kept, LONDON))}
                write_widgets(self.top, top)
            children = [c for c in state.get("children", []) if isinstance(c, dict)]
            for index, child_state in enumerate(children):
                editor = self.child_editors[index] if index < len(self.child_editors) else self.add_child()
                editor.restore(child_state)
            for adult_state in (a for a in state.get("adults", []) if isinstance(a, dict)):
                self.add_adult().restore(adult_state)
        finally:
            self._restoring = False
        self.show_children()

    def keep_draft(self) -> None:
        """Write what is typed to the draft file now (also on every pause in typing)."""
        self._draft_timer.stop()
        try:
            saved_at = self._draft_file.save(self.state())
        except OSError as exc:
            self.draft_label.setText(tr("The draft could not be kept on this computer: {problem}").format(problem=exc))
            return
        self.draft_label.setText(tr("Draft kept on this computer at {time}.").format(time=when(saved_at).split()[-1]))

    # --- saving ------------------------------------------------------------------------------------

    def collect(self) -> tuple[ContactDraft, dict[str, str]]:
        """The form as a ``ContactDraft``, and the problems found reading it (half-typed dates)."""
        problems: dict[str, str] = {}
        children = [child.to_draft(f"children.{i}.", problems) for i, child in enumerate(self.child_editors)]
        adults = [adult.to_draft(f"adults.{i}.", problems) for i, adult in enumerate(self.adult_editors)]
        draft = read_draft(self.top, children, adults)
        try:
            moment = parse_moment(self.line("received_at").text(), self._local_now())
            draft.received_at = moment.replace(tzinfo=LONDON).astimezone(UTC)
        except MomentError as exc:
            problems["received_at"] = tr(str(exc))
        return draft, problems

    def _local_now(self) -> datetime:
        """Now, on the MASH's wall clock: what a typed time means."""
        return self._clock().astimezone(LONDON)

    @property
    def saving(self) -> bool:
        return self._saving

    def save(self) -> None:
        """Check everything, then save the whole contact on a worker (Ctrl+S)."""
        if self._saving:
            return
        draft, problems = self.collect()
        self.keep_draft()
        self._saving = True
        self.save_button.setEnabled(False)
        self.errors.clear()
        self.problems.hide_problems()
        self.notice_label.setText(tr("Saving…"))
        self.notice_label.show()
        ctx = self._ctx

        def work() -> LoggedContact:
            found = dict(problems)
            try:
                intake.validate_contact(draft, ctx.now())
            except InvalidInput as exc:
                for key, message in exc.field_errors.items():
                    found.setdefault(key, message)
            if found:
                raise InvalidInput(found)
            return intake.log_contact(ctx, draft)

        self._runner.run(work, self._saved, self._failed, owner=self, label=tr("Saving the contact"))

    def _saved(self, logged: LoggedContact) -> None:
        self._saving = False
        self._draft_timer.stop()
        self._draft_file.delete()
        self.notice_label.hide()
        emit(self.contact_saved, logged)

    def _failed(self, exc: MashDeskError) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.notice_label.hide()
        emit(self.save_failed, exc)
        if isinstance(exc, InvalidInput):
            count = len(exc.field_errors)
            summary = (
                tr("Nothing was saved: one thing to put right. Enter on it below takes you to the field.")
                if count == 1
                else tr("Nothing was saved: {count} things to put right. Enter on one takes you to its field.")
            ).format(count=count)
            first = self.errors.show(exc.field_errors, summary=summary)
            self.problems.show_problems(self._problems(exc.field_errors))
            if first is not None:
                self.scroll_area.ensureWidgetVisible(first)
            return
        unavailable = isinstance(exc, DatabaseUnavailable)
        kept = tr("Nothing was saved, and everything you typed is still here (and kept on this computer).")
        self.errors.show({}, summary=f"{exc}\n{kept}")
        choice = ErrorDialog.ask(self, tr("The contact was not saved"), f"{exc}\n\n{kept}", retry=unavailable)
        if choice is ErrorChoice.RETRY:
            self.save()

    def _problems(self, errors: dict[str, str]) -> list[tuple[str, str, QWidget]]:
        """Each message with its field and the part of the form it is in, in the order the form asks."""
        found = []
        for key, message in errors.items():
            widget = self.errors.widget_for(key)
            if widget is not None:
                found.append((problem_place(key), message, widget))
        order = {widget: index for index, widget in enumerate(self._tab_order)}
        return sorted(found, key=lambda problem: order.get(problem[2], len(order)))

    def go_to_field(self, widget: QWidget) -> None:
        """Put the cursor in ``widget`` and scroll it into view (a problem chosen from the list)."""
        self.scroll_area.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def discard(self) -> None:
        """Throw this contact away, draft and all, after asking."""
        if ConfirmDialog.ask(
            self,
            tr("Discard this contact?"),
            tr("Throw away everything typed in this contact? It has not been saved."),
            ok_text=tr("Discard it"),
        ):
            self.discard_now()

    def discard_now(self) -> None:
        self._draft_timer.stop()
        self.matches.stop()
        self._draft_file.delete()
        emit(self.discarded)
