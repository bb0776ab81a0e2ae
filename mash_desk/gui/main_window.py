"""The main window: the work queues first, then a tab for each open contact and the intake form.

Thin on purpose: the queues, the intake form, the contact view and the actions are their own
widgets; this window wires them together, owns the menus and the status bar, and passes on what
the change watcher hears.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QProgressBar, QPushButton, QTabWidget, QWidget
from shiboken6 import Shiboken

from mash_desk.domain.defaults import ScreeningStep
from mash_desk.domain.enums import Role
from mash_desk.domain.errors import MashDeskError, RestrictedRecord
from mash_desk.domain.lifecycle import Action, role_may
from mash_desk.gui.action_flow import ActionFlow
from mash_desk.gui.change_watcher import ChangeWatcher
from mash_desk.gui.contact_actions import ContactActions
from mash_desk.gui.contact_view import ContactView
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.idle_lock import MINUTE_MS, IdleLock
from mash_desk.gui.intake_draft import DraftFile
from mash_desk.gui.messages import ErrorDialog, Notice, shortcut_text
from mash_desk.gui.queues_area import QueuesArea
from mash_desk.gui.shortcuts_help import FIND_PERSON_KEY, LOCK_NOW_KEY, OWN_LOGIN_KEY, shortcuts_text
from mash_desk.gui.signals import emit
from mash_desk.gui.table_models import Clock
from mash_desk.gui.tasks import TaskRunner
from mash_desk.gui.theme import Theme
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import at_work, tr
from mash_desk.paths import resource
from mash_desk.services.contact_view import ContactDetail
from mash_desk.services.intake import LoggedContact
from mash_desk.services.queues import Claimed, claim_next, find_contact_id, works_the_front_door
from mash_desk.services.signin import SignedIn

if TYPE_CHECKING:
    from mash_desk.gui.admin.area import AdminArea
    from mash_desk.gui.intake_form import IntakeForm
    from mash_desk.gui.manager.area import ManagerArea
    from mash_desk.gui.partnership.area import PartnershipArea
    from mash_desk.gui.person_record import PersonRecordPage

GEOMETRY_KEY = "window/geometry"
MANAGER_AREA_ROLES = frozenset({Role.MANAGER, Role.BUSINESS_SUPPORT, Role.ADMIN, Role.AUDITOR})
"""Roles with Manager or Reports pages (``gui/manager/area.py`` has which): only they load that area."""


class MainWindow(QMainWindow):
    switch_requested = Signal()
    """Emitted when the person asks to sign in again (another user or another database)."""
    closed = Signal()
    """Emitted when the window has closed (its draft kept and its watcher stopped)."""
    password_changed = Signal(str)
    """Emitted with the new password after the person changed their own (a remembered one follows it)."""

    def __init__(
        self,
        session: SignedIn,
        runner: TaskRunner,
        theme: Theme,
        settings: QSettings,
        clock: Clock,
        *,
        watch_changes: bool = True,
        idle_lock_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._runner = runner
        self._theme = theme
        self._settings = settings
        actor = session.actor
        self.setWindowTitle(tr("MASH Desk — {name}").format(name=actor.display_name))
        self.setWindowIcon(QIcon(str(resource("icons", "mash-desk.png"))))
        self.flow = ActionFlow(runner, session.ctx, self)
        self.context = WindowContext(runner, session.ctx, actor, self.flow, theme, clock)
        """What every page, dialog and area of this window shares (built once, here)."""
        self.contact_actions = ContactActions(self.context, self)
        self.draft_file = DraftFile(actor.username)
        self.workspace = QTabWidget(self)
        self.workspace.setTabsClosable(True)
        self.workspace.tabCloseRequested.connect(self.close_tab)
        self.setCentralWidget(self.workspace)
        self.queues = QueuesArea(self.context, self.contact_actions, self)
        self.queues.open_requested.connect(self.open_contact)
        self.queues.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.workspace.addTab(self.queues, tr("Work queues"))
        self.workspace.tabBar().setTabButton(0, self.workspace.tabBar().ButtonPosition.RightSide, None)
        self.intake: IntakeForm | None = None
        self._records_opened = False  # a person's record opened in this window (``open_person``)
        self.idle_lock = IdleLock(
            self,
            self.context,
            passwords=session.has_passwords,
            idle_ms=idle_lock_ms if idle_lock_ms is not None else session.idle_lock_minutes * MINUTE_MS,
        )
        self.idle_lock.switch_requested.connect(lambda: emit(self.switch_requested))
        self._build_menus()
        self._build_status_bar()
        self.workspace.currentChanged.connect(self._tab_changed)
        self.flow.contact_changed.connect(lambda contact_id: self.queues.apply_changes((contact_id,), False))
        runner.busy_changed.connect(self._busy)
        runner.expected_error.connect(self._unhandled)
        self.watcher = ChangeWatcher(self.context, parent=self)
        self.watcher.contacts_changed.connect(self._changed_elsewhere)
        self.watcher.connection_changed.connect(self._connection)
        # a practitioner's or agency officer's window never loads the Manager and Administration areas
        self.manager_area: ManagerArea | None = None
        self.admin_area: AdminArea | None = None
        if actor.role in MANAGER_AREA_ROLES:
            from mash_desk.gui.manager.area import add_manager_area  # noqa: PLC0415

            self.manager_area = add_manager_area(
                self, self.workspace, self.context, self.open_contact, self._show_partnership_page
            )
        if self.manager_area is not None:
            self.watcher.contacts_changed.connect(self.manager_area.apply_changes)
        if actor.role is Role.ADMIN:
            from mash_desk.gui.admin.area import add_admin_area  # noqa: PLC0415

            self.admin_area = add_admin_area(
                self,
                self.workspace,
                self.context,
                first_digit=len(self.manager_area.pages) + 1 if self.manager_area is not None else 1,
                index=2 if self.manager_area is not None else 1,
            )
        from mash_desk.gui.partnership.area import add_partnership_area  # noqa: PLC0415 - tiny; pages load when opened

        self.partnership_area: PartnershipArea | None = add_partnership_area(
            self, self.workspace, self.context, self.open_contact, index=self.workspace.count()
        )
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)
        self.queues.load()
        # signed in, the cursor is in the queue (its first row, the most urgent, selected as it arrives),
        # so Enter opens the most urgent contact: not on the tab bar, where Enter opens nothing
        self.queues.focus_current()
        if watch_changes:
            self.watcher.start()

    # --- menus -------------------------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        text: str,
        shortcut: str | QKeySequence.StandardKey,
        slot: Callable[[], object],
        *,
        enabled: bool = True,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setEnabled(enabled)
        action.setToolTip(f"{text.replace('&', '')} ({shortcut_text(shortcut)})")
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        actor = self.session.actor
        bar = self.menuBar()
        work = bar.addMenu(tr("&Work"))
        self.new_contact_action = self._action(
            work, tr("&New contact…"), "Ctrl+N", self.new_contact, enabled=role_may(actor.role, Action.LOG_CONTACT)
        )
        self.take_next_action = self._action(
            work,
            tr("&Take next"),
            "Ctrl+T",
            self.take_next,
            enabled=role_may(actor.role, Action.CLAIM) and works_the_front_door(actor),
        )
        self.take_next_action.setVisible(self.take_next_action.isEnabled())  # not offered to a receiving team
        self._action(work, tr("&Go to a reference…"), "Ctrl+G", self.go_to)
        self._action(work, tr("Find a &person…"), FIND_PERSON_KEY, self.find_person)
        self._action(work, tr("Work &queues"), "Ctrl+Shift+Q", self.show_queues)
        work.addSeparator()
        self._action(work, tr("&Close tab"), "Ctrl+W", lambda: self.close_tab(self.workspace.currentIndex()))
        work.addSeparator()
        self.lock_action = self._action(work, tr("&Lock now"), LOCK_NOW_KEY, self.lock_now)
        self.change_password_action = self._action(
            work,
            tr("Change my &password…"),
            OWN_LOGIN_KEY,
            self.change_password,
            enabled=self.session.has_passwords,
        )
        if not self.session.has_passwords:
            self.change_password_action.setText(tr("Change my &password… (not on the embedded database)"))
            self.change_password_action.setToolTip(
                tr("The embedded database has no passwords: it is whoever signs in on this computer ({key}).").format(
                    key=shortcut_text(OWN_LOGIN_KEY)
                )
            )
        work.setToolTipsVisible(True)
        self._action(work, tr("&Sign in again…"), "Ctrl+Shift+L", lambda: emit(self.switch_requested))
        self._action(work, tr("&Quit"), "Ctrl+Q", self.close)
        self.contact_menu = bar.addMenu(tr("&Contact"))
        self.contact_menu.setEnabled(False)
        view = bar.addMenu(tr("&View"))
        self._action(view, tr("&Refresh"), "F5", self.refresh)
        themes = view.addMenu(tr("&Theme"))
        for text, scheme in (
            (tr("Follow the system"), None),
            (tr("Light"), Qt.ColorScheme.Light),
            (tr("Dark"), Qt.ColorScheme.Dark),
        ):
            action = themes.addAction(text)
            action.triggered.connect(lambda _checked=False, s=scheme: self._theme.force(s))
        help_menu = bar.addMenu(tr("&Help"))
        self._action(help_menu, tr("&Keyboard shortcuts"), "Ctrl+/", self.show_shortcuts)
        self._action(help_menu, tr("&About MASH Desk"), "F1", self.about)
        for button_action in (self.new_contact_action, self.take_next_action):
            label = button_action.text().replace("&", "").rstrip("…")
            button = QPushButton(f"{label} ({shortcut_text(button_action.shortcut())})", self.queues)
            button.setObjectName("take_next_button" if button_action is self.take_next_action else "new_contact_button")
            button.setToolTip(button_action.toolTip())
            button.setVisible(button_action.isEnabled())  # a role that cannot do it is not offered it
            button.clicked.connect(button_action.trigger)
            if button_action is self.take_next_action:
                set_flag(button, "primary", True)
            self.queues.toolbar_row.addWidget(button)
        self.queues.toolbar_row.addStretch(1)

    def _build_status_bar(self) -> None:
        actor = self.session.actor
        status = self.statusBar()
        self.who_label = QLabel(
            tr("{who} · {where}").format(
                who=at_work(actor.display_name, actor.job_title, actor.role, actor.agency_name, actor.team_name),
                where=tr("embedded database") if self.session.embedded else self.session.where,
            ),
            self,
        )
        status.addWidget(self.who_label, 1)
        self.connection_label = QLabel(self)
        self.connection_label.setProperty("banner", "error")
        self.connection_label.hide()
        status.addPermanentWidget(self.connection_label)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(tr("Working"))
        self.busy_bar.hide()
        status.addPermanentWidget(self.busy_bar)

    # --- tabs --------------------------------------------------------------------------------------

    def contact_views(self) -> list[ContactView]:
        views = []
        for index in range(self.workspace.count()):
            widget = self.workspace.widget(index)
            if isinstance(widget, ContactView):
                views.append(widget)
        return views

    def open_contact(self, contact_id: int) -> ContactView:
        """Open a contact in its own tab (or show its tab): every way of opening one comes here, so a
        contact restricted to this person always asks them to break the glass first."""
        for view in self.contact_views():
            if view.contact_id == contact_id:
                self.workspace.setCurrentWidget(view)
                return view
        came_from = self.workspace.currentWidget()
        view = ContactView(contact_id, self.context, self.contact_actions, self)
        index = self.workspace.addTab(view, tr("Opening…"))
        view.loaded.connect(lambda detail, v=view: self._retitle(v, detail.reference))
        view.actions_changed.connect(self._fill_contact_menu)
        view.load_failed.connect(lambda exc: self.statusBar().showMessage(str(exc), 8000))
        view.restricted.connect(lambda notice, v=view, w=came_from: self._restricted(v, notice, w))
        view.person_requested.connect(self.open_person)
        view.open_requested.connect(self.open_contact)
        self.workspace.setCurrentIndex(index)
        return view

    def person_pages(self) -> list[PersonRecordPage]:
        if not self._records_opened:  # only open_person makes one: until then its module need not be loaded
            return []
        from mash_desk.gui.person_record import PersonRecordPage  # noqa: PLC0415 - open_person has loaded it

        return [
            widget
            for index in range(self.workspace.count())
            if isinstance(widget := self.workspace.widget(index), PersonRecordPage)
        ]

    def open_person(self, person_id: int) -> PersonRecordPage:
        """Open a person's record in its own tab (or show its tab); Alt+Left goes back to where they were.
        Opening it is audited, and a record restricted to this person asks them to break the glass first."""
        came_from = self.workspace.currentWidget()
        for page in self.person_pages():
            if page.person_id == person_id:
                self.workspace.setCurrentWidget(page)
                return page
        from mash_desk.gui.person_record import PersonRecordPage  # noqa: PLC0415 - its services, dialogs and editors

        self._records_opened = True
        page = PersonRecordPage(person_id, self.context, self)
        index = self.workspace.addTab(page, tr("Opening…"))
        page.loaded.connect(lambda record, p=page: self._loaded_person(p, record.person.name))
        page.load_failed.connect(lambda exc: self.statusBar().showMessage(str(exc), 8000))
        page.printed.connect(lambda message: self.statusBar().showMessage(message, 10_000))
        page.contact_requested.connect(self.open_contact)
        page.person_requested.connect(self.open_person)
        page.back_requested.connect(lambda p=page, w=came_from: self._back(p, w))
        page.restricted.connect(lambda notice, p=page, w=came_from: self._restricted_person(p, notice, w))
        self.workspace.setCurrentIndex(index)
        return page

    def _loaded_person(self, page: PersonRecordPage, name: str) -> None:
        self._retitle(page, name)
        if self.workspace.currentWidget() is page and not page.chronology_view.hasFocus():
            page.focus_first()

    def _back(self, page: PersonRecordPage, came_from: QWidget | None) -> None:
        """Back to the tab the record was opened from, if it is still open (else the work queues)."""
        if came_from is not None and Shiboken.isValid(came_from) and self.workspace.indexOf(came_from) >= 0:
            self.workspace.setCurrentWidget(came_from)
        else:
            self.show_queues()
        del page

    def _restricted_person(self, page: PersonRecordPage, notice: RestrictedRecord, came_from: QWidget | None) -> None:
        self._retitle(page, tr("Restricted"))

        def cancelled() -> None:
            index = self.workspace.indexOf(page)
            if index >= 0:
                self.close_tab(index)
            if came_from is not None and self.workspace.indexOf(came_from) >= 0:
                self.workspace.setCurrentWidget(came_from)
            self.statusBar().showMessage(tr("Not opened: the record is restricted. Nothing was recorded."), 8000)

        def opened(_until: datetime) -> None:
            if Shiboken.isValid(page):
                page.reload()

        self.contact_actions.restricted.break_glass(notice, page, opened=opened, cancelled=cancelled)

    def find_person(self) -> None:
        """Find a child or an adult whatever the spelling, and open their record."""
        from mash_desk.gui.find_person import FindPersonDialog  # noqa: PLC0415 - loaded when first asked for

        person_id = FindPersonDialog.ask(self.context, self)
        if person_id is not None:
            self.open_person(person_id)

    def _restricted(self, view: ContactView, notice: RestrictedRecord, came_from: QWidget | None) -> None:
        """Ask whether to break the glass; if not, close the tab again and go back to where they were."""
        self._retitle(view, tr("Restricted"))

        def cancelled() -> None:
            index = self.workspace.indexOf(view)
            if index >= 0:
                self.close_tab(index)
            if came_from is not None and self.workspace.indexOf(came_from) >= 0:
                self.workspace.setCurrentWidget(came_from)
            self.statusBar().showMessage(tr("Not opened: the contact is restricted. Nothing was recorded."), 8000)

        def opened(until: datetime) -> None:
            if Shiboken.isValid(view):
                view.glass_broken(notice, until)

        self.contact_actions.restricted.break_glass(notice, view, opened=opened, cancelled=cancelled)

    def _retitle(self, view: QWidget, title: str) -> None:
        index = self.workspace.indexOf(view)
        if index >= 0:
            self.workspace.setTabText(index, title)

    def close_tab(self, index: int) -> None:
        widget = self.workspace.widget(index)
        if (
            widget is None
            or widget is self.queues
            or widget in (self.manager_area, self.admin_area, self.partnership_area)
        ):
            return
        if self.intake is not None and widget is self.intake:
            self.intake.keep_draft()
            self.statusBar().showMessage(
                tr("The contact you were typing is kept on this computer; New contact (Ctrl+N) brings it back."), 8000
            )
            self.intake = None
        self.workspace.removeTab(index)
        widget.deleteLater()

    def show_queues(self) -> None:
        self.workspace.setCurrentWidget(self.queues)
        self.queues.focus_current()

    def _tab_changed(self, _index: int) -> None:
        widget = self.workspace.currentWidget()
        if isinstance(widget, ContactView):
            widget.scroll_area.setFocus()
        elif (page := self._person_page(widget)) is not None and page.record is not None:
            page.focus_first()
        self._fill_contact_menu()

    def _person_page(self, widget: QWidget | None) -> PersonRecordPage | None:
        """``widget`` if it is a person's record."""
        return next((page for page in self.person_pages() if page is widget), None)

    def _fill_contact_menu(self) -> None:
        widget = self.workspace.currentWidget()
        self.contact_menu.clear()
        if isinstance(widget, ContactView) and widget.qactions:
            for action in (widget.next_step_action, *widget.qactions, widget.person_action):
                self.contact_menu.addAction(action)
            self.contact_menu.setEnabled(True)
        elif (page := self._person_page(widget)) is not None:
            for action in page.qactions:
                self.contact_menu.addAction(action)
            self.contact_menu.setEnabled(True)
        else:
            self.contact_menu.setEnabled(False)

    # --- work --------------------------------------------------------------------------------------

    def new_contact(self) -> IntakeForm | None:
        """Open the intake form (offering back an unsaved one, if there is one)."""
        if not self.new_contact_action.isEnabled():
            return None
        if self.intake is not None:
            self.workspace.setCurrentWidget(self.intake)
            return self.intake
        from mash_desk.gui.intake_form import DraftPrompt, IntakeForm  # noqa: PLC0415 - the form, its editors and search

        saved = self.draft_file.load()
        restore = None
        if saved is not None:
            if DraftPrompt.ask(self, saved.saved_at):
                restore = saved
            else:
                self.draft_file.delete()
        form = IntakeForm(self.context, self.draft_file, restore=restore, parent=self)
        form.contact_saved.connect(self._contact_saved)
        form.matches.open_requested.connect(self.open_person)
        form.discarded.connect(lambda: self._drop_intake(form))
        self.intake = form
        self.workspace.addTab(form, tr("New contact"))
        self.workspace.setCurrentWidget(form)
        form.focus_first()
        return form

    def _drop_intake(self, form: IntakeForm) -> None:
        index = self.workspace.indexOf(form)
        self.intake = None
        if index >= 0:
            self.workspace.removeTab(index)
        form.deleteLater()

    def _contact_saved(self, logged: LoggedContact) -> None:
        if self.intake is not None:
            self._drop_intake(self.intake)
        flags = []
        if logged.re_referral:
            flags.append(tr("a re-referral"))
        if logged.open_case_team_id is not None:
            flags.append(tr("an open case: pass it to the allocated team"))
        extra = tr(" It is {flags}.").format(flags=" and ".join(flags)) if flags else ""
        self.statusBar().showMessage(
            tr("Saved as {reference}.{extra}").format(reference=logged.reference, extra=extra), 15000
        )
        self.queues.apply_changes((logged.id,), False)
        view = self.open_contact(logged.id)
        view.loaded.connect(lambda detail: self._screen_if_mine(view, detail), Qt.ConnectionType.SingleShotConnection)

    def _screen_if_mine(self, view: ContactView, detail: ContactDetail) -> None:
        """A contact logged into my own work goes straight on to its rating (Esc leaves it for later)."""
        if detail.assigned_to == self.session.actor.display_name and detail.rag is None:
            self.contact_actions.screening.follow(ScreeningStep.LOGGED, detail, view)

    def take_next(self) -> None:
        """Claim the most urgent unassigned contact and open it."""
        if not self.take_next_action.isEnabled():
            return
        ctx = self.session.ctx
        self._runner.run(lambda: claim_next(ctx), self._claimed, self._unhandled, label=tr("Taking the next contact"))

    def _claimed(self, claimed: Claimed | None) -> None:
        if claimed is None:
            Notice.show(self, tr("Take next"), tr("Nothing unassigned is waiting. Well done."))
            return
        self.statusBar().showMessage(tr("You have taken {reference}.").format(reference=claimed.reference), 8000)
        self.queues.apply_changes((claimed.contact_id,), False)
        self.open_contact(claimed.contact_id)

    def _show_partnership_page(self, key: str) -> None:
        if self.partnership_area is not None:
            self.partnership_area.show_page(key)

    def go_to(self) -> None:
        from mash_desk.gui.dialogs.goto import GoToDialog  # noqa: PLC0415 - loaded when first asked for

        reference = GoToDialog.ask(self)
        if reference is None:
            return
        ctx = self.session.ctx
        self._runner.run(lambda: find_contact_id(ctx, reference), self.open_contact, self._unhandled)

    def refresh(self) -> None:
        self.queues.load()
        if self.manager_area is not None:
            self.manager_area.refresh()
        if self.admin_area is not None:
            self.admin_area.refresh()
        if self.partnership_area is not None:
            self.partnership_area.refresh()
        for view in self.contact_views():
            view.reload()
        for page in self.person_pages():
            page.reload()

    def lock_now(self) -> None:
        """Hide everything until the person proves who they are (stepping away from the desk)."""
        self.idle_lock.lock()

    def change_password(self) -> None:
        if not self.change_password_action.isEnabled():
            return
        session = self.session
        from mash_desk.gui.password_dialog import ChangePasswordDialog  # noqa: PLC0415 - loaded when first asked for

        new = ChangePasswordDialog.ask(self.context, session.actor.username, self)
        if new is not None:
            self.statusBar().showMessage(tr("Your password is changed: use the new one from now on."), 10_000)
            emit(self.password_changed, new)

    def about(self) -> None:
        from mash_desk.gui.about_dialog import AboutDialog  # noqa: PLC0415 - loaded when first asked for

        AboutDialog.ask(self._runner, self.session, self)

    def show_shortcuts(self) -> None:
        pages = [
            (action.shortcut().toString(QKeySequence.SequenceFormat.NativeText), action.text().replace("&", ""))
            for area in (self.manager_area, self.admin_area)
            if area is not None and area.menu is not None
            for action in area.menu.actions()
            if not action.shortcut().isEmpty()
        ]
        Notice.show(self, tr("Keyboard shortcuts"), shortcuts_text(pages))

    # --- what the database says --------------------------------------------------------------------

    def _changed_elsewhere(self, contact_ids: tuple[int, ...], everything: bool) -> None:
        self.queues.apply_changes(contact_ids, everything)
        for view in self.contact_views():
            if everything or view.contact_id in contact_ids:
                view.changed_elsewhere()
        for page in self.person_pages():
            record = page.record
            if everything or (record is not None and {c.contact_id for c in record.contacts} & set(contact_ids)):
                page.reload()

    def _connection(self, online: bool, problem: str) -> None:
        if online:
            self.connection_label.hide()
            self.statusBar().showMessage(tr("Connected to the database again."), 8000)
        else:
            self.connection_label.setText(tr("Database not answering — your work is kept; retrying…"))
            self.connection_label.setToolTip(problem)
            self.connection_label.show()

    def _busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_bar.setToolTip(", ".join(self._runner.labels()))

    def _unhandled(self, exc: MashDeskError) -> None:
        ErrorDialog.ask(self, tr("MASH Desk"), str(exc))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.intake is not None:
            self.intake.keep_draft()
        self.idle_lock.stop()
        self.watcher.stop()
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)
        emit(self.closed)
