"""The Safeguarding Children Partnership's quarterly pack (issue 14): a PDF of charts and short
tables for one calendar quarter, with the same numbers in CSV.

Every front-door number comes from ``services.dashboard.front_door_measures`` for the quarter, the
function the dashboard and ``mash-desk report --period`` read, so the three always agree; the
partnership's own sections (``hooks.PARTNER_SECTIONS``) come from the audits' and the exercises'
summaries alone. The pack's own work is choosing, ordering, defining and suppressing
(``domain.suppression``): counts from 1 to 4 show as "<5" in the PDF; the CSV keeps the exact
numbers and says what the PDF shows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mash_desk.domain.errors import PermissionRefused
from mash_desk.domain.periods import Period, quarter_name, quarter_period
from mash_desk.domain.suppression import SMALL_NUMBER, shown_count, shown_percent
from mash_desk.letters.pack import PackChart, PackDocument, PackRow, PackSection, PackTable, render_pack
from mash_desk.services.context import ServiceContext
from mash_desk.services.dashboard import FrontDoorMeasures, front_door_measures
from mash_desk.services.letters.reading import load_letterhead
from mash_desk.services.pack.hooks import PARTNER_SECTIONS
from mash_desk.services.pack.sections import PERIOD_NOTE, pack_sections
from mash_desk.services.reporting import for_reports

CSV_FILES = ("tables.csv", "charts.csv", "definitions.csv")


@dataclass(frozen=True)
class QuarterlyPack:
    quarter: str
    period: Period
    measures: FrontDoorMeasures
    document: PackDocument
    pdf: bytes
    csv_files: Mapping[str, str]  # file name -> its text


def _notes(period: Period, missing: list[str]) -> tuple[str, ...]:
    notes = [
        f"Period. Unless a definition says otherwise, a figure counts {PERIOD_NOTE}: "
        f"{period.first.day} {period.first:%B %Y} to {period.last.day} {period.last:%B %Y}. "
        "Figures marked 'now' are as at the moment the "
        "pack was made. Quarters are calendar quarters (Q1 January to March).",
        f"Small numbers. As official statistics do, a count from 1 to {SMALL_NUMBER - 1} is shown as <{SMALL_NUMBER}, "
        "so that no child or family can be identified; a percentage built on a suppressed count is shown as *, "
        "and a bar for a suppressed count is not drawn. Zero is shown. Only single cells are suppressed: a "
        "suppressed count can sometimes be worked out from a total, so share the PDF, not the CSV files, which "
        "hold the exact numbers for the partnership's analysts.",
        "One source. Every number in the front door's sections is the number the manager's dashboard and "
        "'mash-desk report --period' give for the same dates. The partnership's sections (case audits, threshold "
        "exercises) are the audits' and the exercises' own figures for the quarter: gradings made and exercises "
        "closed in it, as their definitions say.",
    ]
    if missing:
        notes.append("Not in this pack: " + "; ".join(missing) + ". These come from the partnership's own modules.")
    return tuple(notes)


def build_pack(ctx: ServiceContext, quarter: str) -> QuarterlyPack:
    """The pack for ``quarter`` ("2026Q3"): the measures, the document, the PDF and the CSV files."""
    period = quarter_period(quarter)
    name = quarter_name(period)
    measures = front_door_measures(ctx, period.first, period.last)
    sections: list[PackSection] = list(pack_sections(measures))
    missing = []
    for index, (title, source) in enumerate(PARTNER_SECTIONS):
        if source is None:
            missing.append(title)
            continue
        try:
            sections.append(source(ctx, period.first, period.last, chr(ord("A") + index)))
        except PermissionRefused:
            missing.append(f"{title} (only managers and the partnership's auditors may see them)")
    actor = ctx.whoami()
    with for_reports(ctx).unit() as (session, _actor):
        letterhead = load_letterhead(session)
    document = PackDocument(
        quarter=name,
        period_words=f"{period.first.day} {period.first:%B %Y} to {period.last.day} {period.last:%B %Y}",
        generated_at=measures.generated_at,
        generated_by=actor.display_name,
        sections=tuple(sections),
        notes=_notes(period, missing),
    )
    return QuarterlyPack(name, period, measures, document, render_pack(document, letterhead), pack_csv(document))


def pack_csv(document: PackDocument) -> dict[str, str]:
    """The pack's numbers as CSV: every table row, every chart bar, every definition."""
    tables, charts, definitions = io.StringIO(), io.StringIO(), io.StringIO()
    table_out = csv.writer(tables, lineterminator="\n")
    chart_out = csv.writer(charts, lineterminator="\n")
    definition_out = csv.writer(definitions, lineterminator="\n")
    table_out.writerow(
        [
            "quarter",
            "section",
            "table",
            "title",
            "measure",
            "count",
            "out_of",
            "percent",
            "pdf_count",
            "pdf_percent",
            "value",
            "pdf_value",
        ]
    )
    chart_out.writerow(["quarter", "section", "figure", "title", "category", "series", "count", "pdf_count"])
    definition_out.writerow(["quarter", "section", "number", "title", "definition"])
    for section in document.sections:
        for item in section.items:
            definition_out.writerow([document.quarter, section.title, item.number, item.title, item.definition])
            if isinstance(item, PackTable):
                for row in item.rows:
                    percent = "" if row.count is None or not row.out_of else f"{100.0 * row.count / row.out_of:.1f}"
                    table_out.writerow(
                        [
                            document.quarter,
                            section.title,
                            item.number,
                            item.title,
                            row.label,
                            "" if row.count is None else row.count,
                            "" if row.out_of is None else row.out_of,
                            percent,
                            shown_count(row.count),
                            shown_percent(row.count, row.out_of),
                            _value(row),
                            "" if row.statistic is None else row.shown_figure,
                        ]
                    )
            elif isinstance(item, PackChart):
                for series, values in item.series:
                    for category, value in zip(item.categories, values, strict=True):
                        chart_out.writerow(
                            [
                                document.quarter,
                                section.title,
                                item.number,
                                item.title,
                                category,
                                series,
                                value,
                                shown_count(value),
                            ]
                        )
    return {"tables.csv": tables.getvalue(), "charts.csv": charts.getvalue(), "definitions.csv": definitions.getvalue()}


def _value(row: PackRow) -> str:
    """A statistic's exact value for the CSV (kappa to four decimals, a percentage to two), blank if none."""
    if row.statistic is None or row.statistic.value is None:
        return ""
    return f"{row.statistic.value:.2f}" if row.statistic.percent else f"{row.statistic.value:.4f}"


def write_pack(pack: QuarterlyPack, out: Path, csv_dir: Path | None = None) -> list[Path]:
    """Write the PDF (and the CSV files into ``csv_dir``, made if missing); the paths written."""
    out.write_bytes(pack.pdf)
    written = [out]
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        for name, text in pack.csv_files.items():
            target = csv_dir / f"pack-{pack.quarter}-{name}"
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


__all__ = ["CSV_FILES", "QuarterlyPack", "build_pack", "pack_csv", "write_pack"]
