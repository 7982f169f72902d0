"""Drawing an attempt's questions: picked questions, filters, random N and the order they keep."""

import random

from quizapp.domain.drawing import Candidate, draw, eligible

POOL = [
    Candidate(id=1, reference="key_point 1", tags=("names",), key="a"),
    Candidate(id=2, reference="key_point 2", tags=(), key="b"),
    Candidate(id=3, reference="faq 1", tags=("names",), key="c"),
    Candidate(id=4, reference="faq 1", tags=(), key="d"),
]


def test_filters_by_source_and_tag():
    assert [c.id for c in eligible(POOL, ["faq 1"], [])] == [3, 4]
    assert [c.id for c in eligible(POOL, [], ["names"])] == [1, 3]
    assert [c.id for c in eligible(POOL, ["faq 1"], ["names"])] == [3]


def test_picked_questions_come_in_the_picked_order_and_ignore_the_filters():
    assert [c.id for c in eligible(POOL, ["key_point 1"], ["names"], picked=["d", "b", "a"])] == [4, 2, 1]


def test_a_picked_question_no_longer_askable_is_left_out():
    assert [c.id for c in eligible(POOL, [], [], picked=["gone", "c"])] == [3]


def test_unshuffled_picked_quiz_keeps_its_order():
    assert draw(POOL, picked=["c", "a"], shuffle=False, rng=random.Random(1)) == [3, 1]


def test_random_n_unshuffled_keeps_the_pool_order():
    for seed in range(20):
        drawn = draw(POOL, picked=["d", "c", "b", "a"], count=2, shuffle=False, rng=random.Random(seed))
        assert drawn == sorted(drawn, reverse=True) and len(drawn) == 2


def test_shuffle_draws_every_question_once():
    drawn = draw(POOL, shuffle=True, rng=random.Random(3))
    assert sorted(drawn) == [1, 2, 3, 4]
