"""What ``mash-desk`` prints besides one-line results: progress stage by stage, and the open-work report."""

from __future__ import annotations

import sys
from typing import TextIO


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


class StageProgress:
    """Progress on stderr, stage by stage (``stage: done/total``).

    On a terminal the count is redrawn in place (``\\r``) and each stage ends on its own line. Written
    to a pipe or a log, each stage is one line, printed when it reaches its total or when the next
    stage starts: a CI log gets a line per stage, not thousands of updates joined by carriage returns.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self._stage: str | None = None
        self._pending: str | None = None
        """The current stage's latest line, not yet ended."""
        self._drawn = 0
        """How wide the line redrawn in place is (a shorter one must cover it)."""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self.finish()
            self._stage = stage
        elif self._pending is None:
            return  # this stage already reached its total and has its line
        line = f"{stage}: {done:,}/{total:,}"
        if done >= total:
            self._end(line)
        elif self.live:
            self._draw(line)
        else:
            self._pending = line

    def finish(self) -> None:
        """End the stage under way, if any (a stage may stop short of its total)."""
        if self._pending is not None:
            self._end(self._pending)

    def _draw(self, line: str) -> None:
        self.stream.write(f"\r{line.ljust(self._drawn)}")
        self.stream.flush()
        self._drawn = len(line)
        self._pending = line

    def _end(self, line: str) -> None:
        self.stream.write(f"\r{line.ljust(self._drawn)}\n" if self.live else f"{line}\n")
        self.stream.flush()
        self._drawn = 0
        self._pending = None


def format_report(report: object) -> str:
    from mash_desk.domain.enums import ContactStatus, Rag
    from mash_desk.domain.lifecycle import STATUS_WORDS
    from mash_desk.domain.words import rag_words
    from mash_desk.services.reports import OpenWorkReport

    assert isinstance(report, OpenWorkReport)
    lines = [f"MASH Desk — open work at {report.generated_at:%Y-%m-%d %H:%M} UTC", ""]
    rags: list[Rag | None] = [Rag.RED, Rag.AMBER, Rag.GREEN, None]
    header = f"{'status':<58}" + "".join(f"{(rag_words(r) if r else 'unrated'):>9}" for r in rags) + f"{'total':>9}"
    lines.append(header)
    lines.append("-" * len(header))
    for status in ContactStatus:
        counts = [report.by_status_and_rag.get((status, r), 0) for r in rags]
        if sum(counts):
            lines.append(f"{STATUS_WORDS[status]:<58}" + "".join(f"{n:>9,}" for n in counts) + f"{sum(counts):>9,}")
    lines.append(f"{'all open work':<58}" + " " * 36 + f"{report.open_total:>9,}")
    lines += [
        "",
        f"Overdue for screening / RAG timescale: {report.overdue_screening:,}",
        f"Overdue for the one-working-day decision: {report.overdue_decisions:,}",
        f"Agency returns overdue: {report.overdue_agency_returns:,}",
        f"Hand-offs awaiting acceptance: {report.hand_offs_awaiting:,} ({report.hand_offs_overdue:,} overdue)",
    ]
    for team, number in report.awaiting_by_team.items():
        lines.append(f"    {team}: {number:,}")
    if report.patterns is not None:
        from mash_desk.services.patterns import PATTERN_LABELS

        lines += ["", "Open work showing a pattern nobody should miss:"]
        lines += [
            f"    {PATTERN_LABELS[kind].removeprefix('Pattern: ')}: {n:,}"
            for kind, n in report.patterns.contacts.items()
        ]
        if report.patterns.neglect_awaiting_decision:
            lines.append(
                "    cumulative neglect awaiting a manager's decision: "
                + ", ".join(report.patterns.neglect_awaiting_decision)
            )
    if report.oldest_overdue:
        lines += ["", "Longest overdue:"]
        lines += [
            f"  {item.reference}  {item.what:<36} due {item.due_at:%Y-%m-%d %H:%M}" for item in report.oldest_overdue
        ]
    return "\n".join(lines)


def format_risk_summary(summary: object, when: str) -> str:
    """The risk tools: DASH by level and MARAC (``when`` says which period), and GCP2 reviews overdue now."""
    from mash_desk.domain.risk import DashLevel
    from mash_desk.services.risk_tools import RiskToolSummary

    assert isinstance(summary, RiskToolSummary)
    levels = summary.dash_by_level
    lines = [
        f"Risk tools ({when}):",
        f"DASH checklists: {summary.dash_total:,} (standard {levels[DashLevel.STANDARD]:,}, "
        f"medium {levels[DashLevel.MEDIUM]:,}, high {levels[DashLevel.HIGH]:,}; "
        f"{summary.judgement_overrides:,} rated high on professional judgement)",
        f"MARAC referrals made: {summary.marac_referrals:,} "
        f"(high-risk DASH with no referral yet: {summary.high_not_referred:,})",
        f"Graded Care Profile 2 assessments: {summary.gcp_total:,} ({summary.gcp_children:,} children)",
        f"Graded Care Profile 2 reviews overdue now: {summary.gcp_reviews_overdue:,}",
    ]
    lines += [
        f"  {due.child_name:<32} due {due.review_on:%Y-%m-%d} ({due.days_overdue:,} days overdue), "
        f"worst area {due.concern}, {due.contact_reference or 'from the child record'}"
        for due in summary.oldest_overdue
    ]
    return "\n".join(lines)
