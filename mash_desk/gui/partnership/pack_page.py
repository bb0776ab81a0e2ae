"""The quarterly pack for the Safeguarding Children Partnership (issue 14), from the window.

The same service as ``mash-desk pack`` builds it on a worker while a busy bar runs: the PDF where
the person chooses, and the CSV files beside it if asked. The quarter is chosen from a list, so it
is always one the pack can make.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mash_desk.domain.errors import MashDeskError
from mash_desk.domain.periods import Period, london_date, quarter_name, quarter_of
from mash_desk.domain.words import counted
from mash_desk.gui.field_errors import set_flag
from mash_desk.gui.manager.pickers import SaveFileChoice
from mash_desk.gui.messages import ErrorDialog, Notice
from mash_desk.gui.signals import emit
from mash_desk.gui.window_context import WindowContext
from mash_desk.gui.words import tr
from mash_desk.services.pack import build_pack, write_pack

FORM_WIDTH = 760
QUARTERS_OFFERED = 12


def recent_quarters(today_quarter: Period, how_many: int = QUARTERS_OFFERED) -> list[Period]:
    """This quarter (so far) and the ones before it, newest first."""
    quarters = [today_quarter]
    while len(quarters) < how_many:
        quarters.append(quarter_of(quarters[-1].first - timedelta(days=1)))
    return quarters


class QuarterlyPackPage(QWidget):
    built = Signal(object)
    """Emitted with the list of ``Path`` written."""
    message = Signal(str)
    """A sentence for the status bar."""

    def __init__(self, window: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pack_page")
        self._runner = window.runner
        self._ctx = window.ctx
        today = london_date(window.clock())
        layout = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "The Safeguarding Children Partnership's quarterly pack: contacts and referrals, timeliness, "
                "neglect, domestic abuse, interpreters, housing, and supervision and caseloads, as charts and short "
                "tables with their definitions. Counts from 1 to 4 show as <5 in the PDF; the CSV files hold the "
                "exact numbers, for the partnership's analysts only."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setMaximumWidth(FORM_WIDTH)
        set_flag(intro, "banner", "info")
        layout.addWidget(intro)
        box = QGroupBox(tr("Make the pack"), self)
        box.setMaximumWidth(FORM_WIDTH)
        form = QFormLayout(box)
        self.quarter_combo = QComboBox(box)
        self.quarter_combo.setAccessibleName(tr("Quarter"))
        for period in recent_quarters(quarter_of(today)):
            name = quarter_name(period)
            words = tr("{name}: {first:%d %b %Y} to {last:%d %b %Y}").format(
                name=name, first=period.first, last=period.last
            )
            self.quarter_combo.addItem(words, name)
        # the last whole quarter is what a partnership meeting reads
        self.quarter_combo.setCurrentIndex(1)
        caption = QLabel(tr("&Quarter:"), box)
        caption.setBuddy(self.quarter_combo)
        form.addRow(caption, self.quarter_combo)
        self.csv_check = QCheckBox(tr("Save the &numbers as CSV files too, beside the PDF"), box)
        self.csv_check.setChecked(True)
        form.addRow("", self.csv_check)
        self.build_button = QPushButton(tr("&Build the pack…"), box)
        self.build_button.clicked.connect(self.build)
        row = QHBoxLayout()
        row.addWidget(self.build_button)
        row.addStretch(1)
        form.addRow("", row)
        layout.addWidget(box)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(240)
        self.busy_bar.setAccessibleName(tr("Building the pack"))
        self.busy_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setMaximumWidth(FORM_WIDTH)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self.setFocusProxy(self.quarter_combo)

    def quarter(self) -> str:
        return str(self.quarter_combo.currentData())

    def build(self) -> None:
        quarter = self.quarter()
        path = SaveFileChoice.ask(
            self, tr("Save the quarterly pack"), f"partnership-pack-{quarter}.pdf", tr("PDF files (*.pdf)")
        )
        if path is None:
            return
        self.build_to(path, with_csv=self.csv_check.isChecked())

    def build_to(self, path: Path, *, with_csv: bool) -> None:
        """Build the pack for the chosen quarter on a worker and write it to ``path``."""
        ctx, quarter = self._ctx, self.quarter()

        def work() -> list[Path]:
            pack = build_pack(ctx, quarter)
            try:
                return write_pack(pack, path, path.parent if with_csv else None)
            except OSError as exc:
                raise MashDeskError(f"{path} could not be written: {exc.strerror or exc}") from exc

        self.busy_bar.show()
        self.status_label.setText(
            tr("Building the pack for {quarter}… This can take a minute.").format(quarter=quarter)
        )
        self.status_label.show()
        self.build_button.setEnabled(False)
        self._runner.run(work, self._done, self._failed, owner=self, label=tr("Building the quarterly pack"))

    def _done(self, written: list[Path]) -> None:
        self.busy_bar.hide()
        self.build_button.setEnabled(True)
        words = tr("The pack is saved to {pdf}").format(pdf=written[0])
        if len(written) > 1:
            words += tr(", with its numbers in {files} beside it").format(
                files=counted(len(written) - 1, tr("CSV file"), tr("CSV files"))
            )
        words += "."
        self.status_label.setText(words)
        Notice.show(self, tr("Pack saved"), words)
        emit(self.message, words)
        emit(self.built, written)

    def _failed(self, exc: MashDeskError) -> None:
        self.busy_bar.hide()
        self.build_button.setEnabled(True)
        self.status_label.hide()
        ErrorDialog.ask(self, tr("The pack was not saved"), str(exc))
