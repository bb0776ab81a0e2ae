"""Patterns nobody should miss, on the contact view: a warning for each, with the contacts that caused it.

The panel reads ``services.patterns.contact_patterns`` on a worker whenever the contact is read, and
words each pattern (never a code): what it is, what to consider, and a button for each contact that
caused it (Tab to it, Enter opens it). A manager records what they decided about cumulative neglect
(Ctrl+J); whoever speaks to the family records who interpreted (Ctrl+Shift+V).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.errors import InvalidInput, MashDeskError
from mash_desk.domain.patterns import Interpreter, PatternDecision, PatternKind
from mash_desk.domain.periods import london_date
from mash_desk.gui.action_flow import Step
from mash_desk.gui.date_box import DateBox, read_day
from mash_desk.gui.dialogs.base import FormDialog
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.forms import need
from mash_desk.gui.messages import shortcut_text
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import day, tr, when
from mash_desk.services.patterns import (
    ContactPatterns,
    ConversationInput,
    PatternView,
    contact_patterns,
    record_conversation,
    record_response,
)

CONVERSATION_KEY = "Ctrl+Shift+V"
DECISION_KEY = "Ctrl+J"

PATTERN_TITLES: Mapping[PatternKind, str] = {
    PatternKind.CUMULATIVE_NEGLECT: "Cumulative neglect",
    PatternKind.REPEATED_DOMESTIC_ABUSE: "Repeated domestic abuse",
    PatternKind.MOVING_HOUSEHOLD: "A household that keeps moving",
    PatternKind.FAMILY_INTERPRETER: "A family member or child interpreted",
}
INTERPRETER_WORDS: Mapping[Interpreter, str] = {
    Interpreter.PROFESSIONAL: "A professional interpreter",
    Interpreter.FAMILY_MEMBER: "A family member",
    Interpreter.CHILD: "The child",
    Interpreter.NONE: "Nobody (no interpreter needed)",
}
DECISION_WORDS: Mapping[PatternDecision, str] = {
    PatternDecision.GRADED_CARE_PROFILE: "Complete a Graded Care Profile 2",
    PatternDecision.STRATEGY_DISCUSSION: "Hold a strategy discussion",
    PatternDecision.BOTH: "Both: a Graded Care Profile 2 and a strategy discussion",
    PatternDecision.NEITHER: "Neither, for the reason given",
}


def pattern_title(kind: PatternKind) -> str:
    return tr(PATTERN_TITLES[kind])


def pattern_words(pattern: PatternView, months: Mapping[PatternKind, int]) -> str:
    """What the pattern is and what to consider, in a sentence or two."""
    n, within = len(pattern.causes), months[pattern.kind]
    match pattern.kind:
        case PatternKind.CUMULATIVE_NEGLECT:
            return tr(
                "{n} contacts with neglect concerns about a child within {months} months. Each may have seemed "
                "below threshold on its own: consider a Graded Care Profile 2 or a strategy discussion. A manager "
                "records what was decided."
            ).format(n=n, months=within)
        case PatternKind.REPEATED_DOMESTIC_ABUSE:
            dash = (
                tr("A DASH risk checklist has been done.")
                if pattern.dash_done
                else tr("NO DASH risk checklist has been done on any of them.")
            )
            return tr("{n} domestic abuse notifications about this household within {months} months. {dash}").format(
                n=n, months=within, dash=dash
            )
        case PatternKind.MOVING_HOUSEHOLD:
            parts = []
            if pattern.addresses > 2:
                parts.append(
                    tr("has had {n} different addresses within {months} months").format(
                        n=pattern.addresses, months=within
                    )
                )
            if pattern.temporary_accommodation:
                parts.append(tr("has lived in temporary accommodation within {months} months").format(months=within))
            return tr("The family {what}: records and professionals are lost with each move.").format(
                what=tr(" and ").join(parts) or tr("keeps moving")
            )
        case PatternKind.FAMILY_INTERPRETER:
            who = tr(" and ").join(INTERPRETER_WORDS[i].lower() for i in sorted(pattern.interpreters))
            return tr(
                "{who} interpreted a conversation with the family. Use a professional interpreter: a child must "
                "never interpret for their own family about abuse."
            ).format(who=who[:1].upper() + who[1:])
    raise AssertionError(pattern.kind)  # pragma: no cover - every pattern is worded above


def queue_words(kinds: tuple[PatternKind, ...]) -> str:
    """The patterns on a queue row, in words (the icon beside them is never the only sign)."""
    return "; ".join(pattern_title(kind) for kind in kinds)


# --- the dialogs --------------------------------------------------------------------------------------


class ConversationDialog(FormDialog[ConversationInput]):
    ui_name = "conversation_dialog.ui"

    def __init__(self, parent: QWidget | None, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("A conversation with the family"))
        self.held_on_edit = need(self.form, DateBox, "held_on_edit")
        self.held_on_edit.today = lambda: today
        self.held_on_edit.set_day(today)
        self.spoke_with_edit = need(self.form, QLineEdit, "spoke_with_edit")
        self.language_edit = need(self.form, QLineEdit, "language_edit")
        self.interpreter_combo = need(self.form, QComboBox, "interpreter_combo")
        self.interpreter_combo.addItem(tr("Choose who interpreted…"), "")
        for kind, words in INTERPRETER_WORDS.items():
            self.interpreter_combo.addItem(tr(words), kind.value)
        for key, widget in (
            ("held_on", self.held_on_edit),
            ("spoke_with", self.spoke_with_edit),
            ("language", self.language_edit),
            ("interpreter", self.interpreter_combo),
        ):
            self.errors.bind(key, widget)
        self.set_ok_text(tr("Record the conversation"))
        self.spoke_with_edit.setFocus()

    def answer(self) -> ConversationInput:
        errors: dict[str, str] = {}
        held = read_day(self.held_on_edit, "held_on", errors)
        if errors:  # a date that cannot be read cannot be sent on (the service checks the rest)
            raise InvalidInput(errors)
        return ConversationInput(
            held,
            self.spoke_with_edit.text(),
            str(self.interpreter_combo.currentData() or ""),
            self.language_edit.text(),
        )

    def set_answer(self, answer: ConversationInput) -> None:
        if answer.held_on is not None:
            self.held_on_edit.set_day(answer.held_on)
        self.spoke_with_edit.setText(answer.spoke_with)
        self.language_edit.setText(answer.language)
        self.interpreter_combo.setCurrentIndex(max(0, self.interpreter_combo.findData(answer.interpreter)))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        today: date,
        answer: ConversationInput | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> ConversationInput | None:
        return cls(parent, today).run(answer, errors)


@dataclass(frozen=True)
class DecisionAnswer:
    decision: str
    reason: str


class PatternDecisionDialog(FormDialog[DecisionAnswer]):
    ui_name = "pattern_decision_dialog.ui"

    def __init__(self, parent: QWidget | None, intro: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Cumulative neglect: the manager's decision"))
        need(self.form, QLabel, "intro_label").setText(intro)
        self.decision_combo = need(self.form, QComboBox, "decision_combo")
        self.decision_combo.addItem(tr("Choose what was decided…"), "")
        for choice, words in DECISION_WORDS.items():
            self.decision_combo.addItem(tr(words), choice.value)
        self.reason_edit = need(self.form, QPlainTextEdit, "reason_edit")
        self.errors.bind("decision", self.decision_combo)
        self.errors.bind("reason", self.reason_edit)
        self.errors.bind("pattern", self.decision_combo)
        self.set_ok_text(tr("Record the decision"))
        self.decision_combo.setFocus()

    def answer(self) -> DecisionAnswer:
        return DecisionAnswer(str(self.decision_combo.currentData() or ""), self.reason_edit.toPlainText())

    def set_answer(self, answer: DecisionAnswer) -> None:
        self.decision_combo.setCurrentIndex(max(0, self.decision_combo.findData(answer.decision)))
        self.reason_edit.setPlainText(answer.reason)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        intro: str,
        answer: DecisionAnswer | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> DecisionAnswer | None:
        return cls(parent, intro).run(answer, errors)


# --- the panel ----------------------------------------------------------------------------------------


class PatternPanel(QWidget):
    """The warnings for one contact, the manager's decisions, and the conversations with the family."""

    open_requested = Signal(int)
    """Emitted with a contact's id when the person asks to open a contact that caused a pattern."""
    loaded = Signal(object)
    """Emitted with the ``ContactPatterns`` each time they have been read."""

    def __init__(self, contact_id: int, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contact_id = contact_id
        self.reference = ""
        self.patterns: ContactPatterns | None = None
        self.cause_buttons: dict[tuple[PatternKind, int], QPushButton] = {}
        self._runner, self._ctx, self._flow, self._clock = window.runner, window.ctx, window.flow, window.clock
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.warnings = QWidget(self)
        self.warnings.setObjectName("pattern_warnings")
        self._warnings_layout = QVBoxLayout(self.warnings)
        self._warnings_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warnings)
        self.conversations_label = QLabel(self)
        self.conversations_label.setObjectName("conversations_label")
        self.conversations_label.setWordWrap(True)
        self.conversations_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.conversations_label)
        buttons = QHBoxLayout()
        self.conversation_action, self.conversation_button = self._button(
            tr("Record a conversation with the family…"), CONVERSATION_KEY, self.record_conversation
        )
        self.decision_action, self.decision_button = self._button(
            tr("Decide about cumulative neglect…"), DECISION_KEY, self.record_decision
        )
        buttons.addWidget(self.conversation_button)
        buttons.addWidget(self.decision_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.warnings.hide()
        self.conversation_button.setObjectName("record_conversation_button")
        self.decision_button.setObjectName("pattern_decision_button")
        self.conversation_button.hide()
        self.decision_button.hide()
        self.conversations_label.hide()

    def _button(self, text: str, shortcut: str, slot: Callable[[], None]) -> tuple[QAction, QPushButton]:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setEnabled(False)
        action.triggered.connect(slot)
        self.addAction(action)
        button = QPushButton(f"{text} ({shortcut_text(shortcut)})", self)
        button.clicked.connect(action.trigger)
        return action, button

    def shortcuts(self) -> list[QAction]:
        """The panel's keyboard actions, for the contact view to hold (so they work anywhere in it)."""
        return [self.conversation_action, self.decision_action]

    # --- reading --------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation, ctx, contact_id = self._generation, self._ctx, self.contact_id
        self._runner.run(
            lambda: contact_patterns(ctx, contact_id),
            lambda found: self._show(generation, found),
            self._failed,
            owner=self,
            label=tr("Looking for patterns"),
        )

    def _failed(self, exc: MashDeskError) -> None:
        self.conversations_label.setText(tr("Patterns could not be read: {why}").format(why=exc))
        self.conversations_label.show()

    def _show(self, generation: int, found: ContactPatterns) -> None:
        if generation != self._generation:
            return
        self.patterns = found
        months = {
            PatternKind.CUMULATIVE_NEGLECT: found.thresholds.neglect_months,
            PatternKind.REPEATED_DOMESTIC_ABUSE: found.thresholds.domestic_abuse_months,
            PatternKind.MOVING_HOUSEHOLD: found.thresholds.moving_months,
            PatternKind.FAMILY_INTERPRETER: found.thresholds.neglect_months,
        }
        while self._warnings_layout.count():
            item = self._warnings_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.cause_buttons = {}
        for pattern in found.patterns:
            self._warnings_layout.addWidget(self._warning(pattern, months))
        for response in found.responses:
            label = QLabel(
                tr("Manager's decision about {pattern} — {who}, {at}: {decision}. “{reason}”").format(
                    pattern=pattern_title(response.pattern).lower(),
                    who=response.decided_by,
                    at=when(response.decided_at),
                    decision=tr(DECISION_WORDS[response.decision]),
                    reason=response.reason,
                ),
                self.warnings,
            )
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setObjectName("pattern_response")
            self._warnings_layout.addWidget(label)
        self.warnings.setVisible(bool(found.patterns or found.responses))
        self.conversations_label.setText(self._conversations_text(found))
        self.conversations_label.setVisible(bool(found.conversations))
        self.conversation_button.setVisible(found.may_record_conversation)
        self.decision_button.setVisible(found.may_respond)
        self.conversation_action.setEnabled(found.may_record_conversation)
        self.decision_action.setEnabled(found.may_respond)
        emit(self.loaded, found)

    def _warning(self, pattern: PatternView, months: Mapping[PatternKind, int]) -> QWidget:
        box = QWidget(self.warnings)
        box.setObjectName(f"pattern_{pattern.kind.value}")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(f"⚠ {pattern_title(pattern.kind).upper()}: {pattern_words(pattern, months)}", box)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        set_flag(label, "banner", "warning")
        label.setObjectName("pattern_text")
        layout.addWidget(label)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Caused by:"), box))
        for cause in pattern.causes:
            this = cause.contact_id == self.contact_id
            text = tr("{reference}, received {day}{this}").format(
                reference=cause.reference, day=day(cause.received_at.date()), this=tr(" (this contact)") if this else ""
            )
            button = QPushButton(text, box)
            button.setToolTip(tr("Open {reference}").format(reference=cause.reference))
            button.setAccessibleName(tr("Open contact {reference}").format(reference=cause.reference))
            button.setEnabled(not this)
            button.clicked.connect(lambda _checked=False, cid=cause.contact_id: emit(self.open_requested, cid))
            row.addWidget(button)
            self.cause_buttons[(pattern.kind, cause.contact_id)] = button
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def _conversations_text(self, found: ContactPatterns) -> str:
        lines = [tr("Conversations with the family:")]
        for c in found.conversations:
            unsafe = c.interpreter in (Interpreter.FAMILY_MEMBER, Interpreter.CHILD)
            lines.append(
                tr("{flag}{day} — {who}{language}: interpreted by {interpreter} (recorded by {by})").format(
                    flag="⚠ " if unsafe else "",
                    day=day(c.held_on),
                    who=c.spoke_with,
                    language=f" ({c.language})" if c.language else "",
                    interpreter=tr(INTERPRETER_WORDS[c.interpreter]).lower(),
                    by=c.recorded_by,
                )
            )
        return "\n".join(lines)

    # --- acting ---------------------------------------------------------------------------------------

    def record_conversation(self) -> None:
        if self.patterns is None or not self.patterns.may_record_conversation:
            return
        ctx, contact_id, today = self._ctx, self.contact_id, london_date(self._clock())
        self._flow.start(
            Step(
                key="conversation",
                contact_id=contact_id,
                reference=self.reference,
                title=tr("Record a conversation with the family"),
                parent=self,
                ask=lambda answer, errors: ConversationDialog.ask(self, today, answer=answer, errors=errors),
                save=lambda answer, _version: record_conversation(ctx, contact_id, answer),
            )
        )

    def record_decision(self) -> None:
        if self.patterns is None or not self.patterns.may_respond:
            return
        neglect = next(p for p in self.patterns.patterns if p.kind is PatternKind.CUMULATIVE_NEGLECT)
        intro = tr("{n} contacts with neglect concerns about a child: {refs}. Record what you decided and why.").format(
            n=len(neglect.causes), refs=", ".join(c.reference for c in neglect.causes)
        )
        ctx, contact_id = self._ctx, self.contact_id
        self._flow.start(
            Step(
                key="pattern_decision",
                contact_id=contact_id,
                reference=self.reference,
                title=tr("Record the manager's decision"),
                parent=self,
                ask=lambda answer, errors: PatternDecisionDialog.ask(self, intro, answer=answer, errors=errors),
                save=lambda answer, _version: record_response(
                    ctx, contact_id, PatternKind.CUMULATIVE_NEGLECT.value, answer.decision, answer.reason
                ),
            )
        )
