"""The multi-agency case audit (issue 14 part 1): set up, sampled reproducibly, graded by auditors of
several agencies with a question set, findings turned into actions tracked to done, and the report.

Every rule here is also PostgreSQL's (``store.pg_security.case_audits``): only managers and auditors
set audits up and agree actions; only an audit's own auditors (and managers and auditors) read its
cases; only an assigned auditor grades, once, as themselves. Audits read records, never change them.
"""

from mash_desk.services.audits.actions import AgencyChoice, add_action, agency_choices, mark_action_done
from mash_desk.services.audits.grading import AuditCaseView, MyCaseRow, MyGrade, audit_case, grade_case, my_audit_cases
from mash_desk.services.audits.questions import QuestionSetProblem, load_question_set
from mash_desk.services.audits.reading import (
    ActionRow,
    AuditCaseRow,
    AuditDetail,
    AuditorRow,
    AuditRow,
    audit_detail,
    list_audits,
)
from mash_desk.services.audits.report import audit_report, audit_report_data
from mash_desk.services.audits.setup import AuditorChoice, AuditSetUp, auditor_choices, redraw_sample, set_up_audit
from mash_desk.services.audits.summary import AuditSummary, GradeTally, audit_summary

__all__ = [
    "ActionRow",
    "AgencyChoice",
    "AuditCaseRow",
    "AuditCaseView",
    "AuditDetail",
    "AuditRow",
    "AuditSetUp",
    "AuditSummary",
    "AuditorChoice",
    "AuditorRow",
    "GradeTally",
    "MyCaseRow",
    "MyGrade",
    "QuestionSetProblem",
    "add_action",
    "agency_choices",
    "audit_case",
    "audit_detail",
    "audit_report",
    "audit_report_data",
    "audit_summary",
    "auditor_choices",
    "grade_case",
    "list_audits",
    "load_question_set",
    "mark_action_done",
    "my_audit_cases",
    "redraw_sample",
    "set_up_audit",
]
