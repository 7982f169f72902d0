"""The pools quizzes draw from: the questions of a bank that students may be asked."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from quizapp.domain.drawing import Candidate
from quizapp.extensions import db
from quizapp.models import Question, SourcePart


def candidates(bank_id: int) -> list[Candidate]:
    """The questions of a bank that students may be asked (neither archived nor drafts), as drawing
    sees them, in bank order."""
    return candidates_by_bank([bank_id]).get(bank_id, [])


def candidates_by_bank(bank_ids: Collection[int]) -> dict[int, list[Candidate]]:
    """``candidates`` for several banks in one query, by bank id."""
    rows = db.session.execute(
        select(Question.bank_id, Question.id, Question.key, SourcePart.kind, SourcePart.number, Question.tags,
               Question.points)
        .join(SourcePart, Question.source_part_id == SourcePart.id)
        .where(Question.bank_id.in_(list(bank_ids)), Question.archived.is_(False), Question.draft.is_(False))
        .order_by(Question.id)
    )
    pools: dict[int, list[Candidate]] = {bank_id: [] for bank_id in bank_ids}
    for r in rows:
        pools[r.bank_id].append(Candidate(id=r.id, reference=f"{r.kind} {r.number}", tags=tuple(r.tags or ()),
                                          key=r.key, points=r.points))
    return pools
