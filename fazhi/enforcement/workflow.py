"""The case workflow as a table per case kind: which step may be taken from which status, and where it leads.

Every step goes through `fazhi.enforcement.actions.advance`, which locks the case row, checks this table and
the guards of the law (two certified investigators, the notice period, the legal review of a major decision,
the discretion standard), saves, and writes a CaseEvent. The time limits are data (models.StatutoryPeriod,
seeded by migration 0003); this module says only which step starts and stops each clock.

行政处罚法 (2021) ordinary procedure, as the table follows it:
- 第五十四条 立案; 第四十二条 执法人员不得少于两人 (the investigation guard); 第五十五条 出示执法证件.
- 第四十四条, 第四十五条 告知 and 陈述申辩; 第六十三条, 第六十四条 听证: the party asks within five days
  of the notice (第八十五条: "五日""七日" are working days).
- 第五十八条 法制审核 before a 重大执法决定, by staff who passed the 法律职业资格考试 — here an officer
  flagged is_legal_reviewer, never one of the case's investigators (审查与调查分离).
- 第五十七条 集体讨论 by the heads of the body for complex or serious cases: required here for every major
  decision, as most local 重大执法决定法制审核办法 require.
- 第六十条 decide within 90 days of 立案; 第六十一条 serve on the spot, else within 7 days; 第六十七条 pay
  within 15 days of receiving the decision.
- 简易程序 (第五十一条, 第五十二条): decided on the spot after the party is heard; no hearing, no review.
行政强制法 第十八条 (two officers, notice, 陈述申辩 on the spot) shapes the coercion table; a 行政检查 is only
opened, carried out and closed.
"""

from __future__ import annotations

from .models import CaseKind, CaseStatus, CaseStep, PeriodCode

S = CaseStatus
T = CaseStep
K = CaseKind

# Steps the party takes (or that record what the party did) while the case waits for a decision.
_PARTY_STEPS_ORDINARY = (T.STATEMENT, T.REQUEST_HEARING, T.HOLD_HEARING, T.WAIVE)
_PARTY_STEPS_SHORT = (T.STATEMENT, T.WAIVE)  # no hearing outside the ordinary penalty procedure


def _waiting(statuses: tuple[str, ...], steps: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """Steps that record something without changing the status."""
    return {(status, step): status for status in statuses for step in steps}


_TAIL: dict[tuple[str, str], str] = {
    (S.DECIDED, T.SERVE): S.SERVED,
    (S.SERVED, T.EXECUTE): S.EXECUTED,
    (S.EXECUTED, T.CLOSE): S.CLOSED,
    (S.CLOSED, T.ARCHIVE): S.ARCHIVED,
}

# kind → (status before, step) → status after. The first step (register) creates the case: actions.open_case.
TRANSITIONS: dict[str, dict[tuple[str, str], str]] = {
    K.PENALTY_ORDINARY: {
        (S.REGISTERED, T.INVESTIGATE): S.INVESTIGATING,
        (S.INVESTIGATING, T.INVESTIGATE): S.INVESTIGATING,
        (S.INVESTIGATING, T.NOTIFY): S.NOTIFIED,
        **_waiting((S.NOTIFIED, S.REVIEWED, S.DISCUSSED), _PARTY_STEPS_ORDINARY),
        (S.NOTIFIED, T.REVIEW_PASS): S.REVIEWED,
        # Returned by the reviewer: investigate further, then notify again (a new notice, a new window).
        (S.NOTIFIED, T.REVIEW_RETURN): S.INVESTIGATING,
        (S.NOTIFIED, T.DISCUSS): S.DISCUSSED,
        (S.REVIEWED, T.DISCUSS): S.DISCUSSED,
        # Deciding straight after the notice is open to cases that are not major (the guards check).
        (S.NOTIFIED, T.DECIDE): S.DECIDED,
        (S.REVIEWED, T.DECIDE): S.DECIDED,
        (S.DISCUSSED, T.DECIDE): S.DECIDED,
        **_TAIL,
    },
    K.PENALTY_SIMPLE: {
        (S.REGISTERED, T.INVESTIGATE): S.INVESTIGATING,
        (S.INVESTIGATING, T.NOTIFY): S.NOTIFIED,
        **_waiting((S.NOTIFIED,), _PARTY_STEPS_SHORT),
        (S.NOTIFIED, T.DECIDE): S.DECIDED,
        **_TAIL,
    },
    K.COERCION: {
        (S.REGISTERED, T.INVESTIGATE): S.INVESTIGATING,
        (S.INVESTIGATING, T.INVESTIGATE): S.INVESTIGATING,
        (S.INVESTIGATING, T.NOTIFY): S.NOTIFIED,
        **_waiting((S.NOTIFIED, S.REVIEWED, S.DISCUSSED), _PARTY_STEPS_SHORT),
        (S.NOTIFIED, T.REVIEW_PASS): S.REVIEWED,
        (S.NOTIFIED, T.REVIEW_RETURN): S.INVESTIGATING,
        (S.NOTIFIED, T.DISCUSS): S.DISCUSSED,
        (S.REVIEWED, T.DISCUSS): S.DISCUSSED,
        (S.NOTIFIED, T.DECIDE): S.DECIDED,
        (S.REVIEWED, T.DECIDE): S.DECIDED,
        (S.DISCUSSED, T.DECIDE): S.DECIDED,
        **_TAIL,
    },
    K.INSPECTION: {
        (S.REGISTERED, T.INVESTIGATE): S.INVESTIGATING,
        (S.INVESTIGATING, T.INVESTIGATE): S.INVESTIGATING,
        (S.INVESTIGATING, T.CLOSE): S.CLOSED,
        (S.CLOSED, T.ARCHIVE): S.ARCHIVED,
    },
}

# The Case field that holds the day of each step (statement and review_return change no date).
STEP_DATE_FIELDS: dict[str, str] = {
    T.REGISTER: "registered_on",
    T.INVESTIGATE: "investigated_on",
    T.NOTIFY: "notified_on",
    T.REQUEST_HEARING: "hearing_requested_on",
    T.HOLD_HEARING: "hearing_held_on",
    T.WAIVE: "rights_waived_on",
    T.REVIEW_PASS: "reviewed_on",
    T.DISCUSS: "discussed_on",
    T.DECIDE: "decided_on",
    T.SERVE: "served_on",
    T.EXECUTE: "executed_on",
    T.CLOSE: "closed_on",
    T.ARCHIVE: "archived_on",
}

# A new notice opens a new window: what the party did about the old notice no longer counts.
CLEARED_BY_NOTICE = (
    "hearing_requested_on",
    "hearing_held_on",
    "rights_waived_on",
    "reviewed_on",
    "discussed_on",
)

# Kinds whose decisions may be major (重大执法决定: 第五十八条 concerns penalties; 行政强制 by local rules).
MAJOR_KINDS = {K.PENALTY_ORDINARY, K.COERCION}
# Kinds whose decision may impose a fine, checked against the discretion standard in force.
FINE_KINDS = {K.PENALTY_ORDINARY, K.PENALTY_SIMPLE}

# Besides its `ends_with` step, a clock also stops at these steps: the hearing window closes once the party
# waives it, and no longer matters once the case is decided.
ALSO_ENDS: dict[str, tuple[str, ...]] = {PeriodCode.HEARING_REQUEST: (T.WAIVE, T.DECIDE)}

# Steps that need a note saying what happened.
NEEDS_NOTES = {T.STATEMENT, T.DISCUSS}


def allowed(kind: str, status: str, step: str) -> bool:
    return (status, step) in TRANSITIONS.get(kind, {})


def next_steps(kind: str, status: str) -> list[str]:
    """The steps open to a case now, in the table's order (for the case page's buttons)."""
    return [step for (before, step) in TRANSITIONS.get(kind, {}) if before == status]
