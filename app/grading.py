"""Which reliability a claim's Admiralty grade carries: its own, or its source's.

The Admiralty code grades a claim (credibility 1–6) and its source (reliability A–F). Analysts rate
an outlet once, on the source, and a claim graded only for credibility borrows that rating; a
reliability set on the claim itself (a quoted official, a leaked memo) wins. Every view, count and
query follows this one rule, so the SQL in `db/reports.py` and `db/sources.py` spells the same
thing (`coalesce(reliability, CASE WHEN credibility IS NOT NULL THEN source's END)`), and a
property test compares the two.
"""

from __future__ import annotations

from app.model import RELIABILITY_NAMES, Annotation, Grade

CLAIM = "claim"
SOURCE = "source"


def effective_grade(grade: Grade, source_reliability: str | None) -> tuple[Grade, str]:
    """The grade to show and count, and where its reliability came from: "claim", "source" or ""
    (not judged). Only a graded claim borrows: an annotation with no credibility is not a claim
    about the source, so a rated source does not turn it into one."""
    if grade.reliability:
        return grade, CLAIM
    if source_reliability and grade.credibility is not None:
        return Grade(grade.credibility, source_reliability), SOURCE
    return grade, ""


def is_graded(grade: Grade) -> bool:
    """Counted in the Admiralty matrix: the claim itself carries some part of a grade."""
    return grade.credibility is not None or grade.reliability is not None


def count_label(annotation: Annotation, source_reliability: str | None = None) -> str:
    """What the counts call an annotation: its entity, else its effective compact grade."""
    return annotation.entity or effective_grade(annotation.grade, source_reliability)[0].compact


def grade_explanation(grade: Grade, source_name: str, source_reliability: str | None) -> str:
    """One line for people: the compact grade and where its reliability came from, e.g.
    "C3 — reliability from source “Reuters”". Empty for an ungraded annotation."""
    if not is_graded(grade):
        return ""
    shown, origin = effective_grade(grade, source_reliability)
    if origin == CLAIM:
        return f"{shown.compact} — reliability set on this claim"
    if origin == SOURCE:
        return f"{shown.compact} — reliability from source “{source_name}”"
    why = f"source “{source_name}” not rated" if source_name else "the document has no source"
    return f"{shown.compact} — reliability not judged ({why})"


def reliability_label(reliability: str | None) -> str:
    """How the Sources dialog and tooltips name a rating: "B — Usually reliable", "not rated"."""
    return f"{reliability} — {RELIABILITY_NAMES[reliability]}" if reliability else "not rated"
