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


def eligible(candidates: Sequence[Candidate], sources: Sequence[str], tags: Sequence[str]) -> list[Candidate]:
    """The candidates drawn from one of ``sources`` and carrying one of ``tags`` (empty means any)."""
    wanted_sources, wanted_tags = set(sources), set(tags)
    return [
        c for c in candidates
        if (not wanted_sources or c.reference in wanted_sources)
        and (not wanted_tags or wanted_tags.intersection(c.tags))
    ]


def draw(
    candidates: Sequence[Candidate],
    *,
    sources: Sequence[str] = (),
    tags: Sequence[str] = (),
    count: int | None = None,
    shuffle: bool = True,
    rng: random.Random,
) -> list[int]:
    """The ids of the questions for one attempt, in the order they will be asked.

    With ``count``, a random sample of that many (or all, if fewer match); the bank's
    order is kept only when ``shuffle`` is off and every matching question is asked.
    """
    pool = eligible(candidates, sources, tags)
    if count is not None and count < len(pool):
        pool = rng.sample(pool, count)
        if not shuffle:
            pool.sort(key=candidates.index)
    elif shuffle:
        pool = list(pool)
        rng.shuffle(pool)
    return [c.id for c in pool]
