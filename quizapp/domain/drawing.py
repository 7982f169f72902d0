"""Drawing an attempt's questions from a quiz's pool."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """What drawing needs to know of a question."""

    id: int
    reference: str
    tags: tuple[str, ...] = ()
    key: str = ""
    points: int = 1


def eligible(candidates: Sequence[Candidate], sources: Sequence[str], tags: Sequence[str],
             picked: Sequence[str] = ()) -> list[Candidate]:
    """The ``picked`` candidates by key, in that order, when some are picked; otherwise those drawn
    from one of ``sources`` and carrying one of ``tags`` (empty means any)."""
    if picked:
        by_key = {c.key: c for c in candidates}
        return [by_key[key] for key in picked if key in by_key]
    wanted_sources, wanted_tags = set(sources), set(tags)
    return [
        c for c in candidates
        if (not wanted_sources or c.reference in wanted_sources)
        and (not wanted_tags or wanted_tags.intersection(c.tags))
    ]


def planned_points(pool: Sequence[Candidate], count: int | None) -> float:
    """The points an attempt drawing ``count`` (None: all) of ``pool`` is worth: exact when it asks them
    all, else ``count`` questions of the pool's mean worth."""
    if not pool:
        return 0.0
    total = sum(c.points for c in pool)
    if count is None or count >= len(pool):
        return float(total)
    return round(count * total / len(pool), 2)


def draw(
    candidates: Sequence[Candidate],
    *,
    sources: Sequence[str] = (),
    tags: Sequence[str] = (),
    picked: Sequence[str] = (),
    count: int | None = None,
    shuffle: bool = True,
    rng: random.Random,
) -> list[int]:
    """The ids of the questions for one attempt, in the order they will be asked.

    With ``count``, a random sample of that many (or all, if fewer match); with shuffle off, the
    questions keep their order: the picked order, or else the bank's.
    """
    pool = eligible(candidates, sources, tags, picked)
    if count is not None and count < len(pool):
        order = {c.id: i for i, c in enumerate(pool)}
        pool = rng.sample(pool, count)
        if not shuffle:
            pool.sort(key=lambda c: order[c.id])
    elif shuffle:
        pool = list(pool)
        rng.shuffle(pool)
    return [c.id for c in pool]
