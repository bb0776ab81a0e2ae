"""The question sets auditors answer, one TOML file per theme in ``resources/audit_questions/``.

The council edits these files; each is checked whole when read (``domain.audits.parse_question_set``)
and an incomplete one is refused with the reason, never half-shown to an auditor.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from mash_desk.domain.audits import AuditTheme, QuestionSet, parse_question_set
from mash_desk.domain.errors import MashDeskError
from mash_desk.paths import resource


class QuestionSetProblem(MashDeskError):
    """A question set file is missing or incomplete: the council's file needs correcting."""


def question_set_file(theme: AuditTheme) -> Path:
    return resource("audit_questions", f"{theme.value}.toml")


def load_question_set(theme: AuditTheme) -> QuestionSet:
    """The theme's question set as the file says now (re-read when the file changes)."""
    path = question_set_file(theme)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise QuestionSetProblem(f"The question set for this theme is missing ({path.name}).") from exc
    return _load(theme, path, stamp)


@lru_cache(maxsize=16)
def _load(theme: AuditTheme, path: Path, _stamp: int) -> QuestionSet:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        return parse_question_set(theme, document)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise QuestionSetProblem(f"The question set {path.name} cannot be used: {exc}") from exc
