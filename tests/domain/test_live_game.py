"""A live game's phases: every legal move, every illegal one refused, the clock closing a question, and
the rules for PINs and nicknames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.live_game import (
    BadNickname,
    IllegalMove,
    Move,
    Phase,
    after,
    clean_nickname,
    clean_pin,
    new_pin,
    nickname_key,
    phase_at,
)

LEGAL = {
    (Phase.LOBBY, Move.START): Phase.QUESTION_OPEN,
    (Phase.QUESTION_OPEN, Move.CLOSE): Phase.QUESTION_CLOSED,
    (Phase.QUESTION_CLOSED, Move.RESULTS): Phase.RESULTS,
    (Phase.RESULTS, Move.NEXT): Phase.QUESTION_OPEN,
    (Phase.LOBBY, Move.FINISH): Phase.FINISHED,
    (Phase.QUESTION_OPEN, Move.FINISH): Phase.FINISHED,
    (Phase.QUESTION_CLOSED, Move.FINISH): Phase.FINISHED,
    (Phase.RESULTS, Move.FINISH): Phase.FINISHED,
}


@pytest.mark.parametrize(("phase", "move"), [(p, m) for p in Phase for m in Move])
def test_each_move_is_made_only_where_the_phase_allows_it(phase, move):
    if (phase, move) in LEGAL:
        assert after(phase, move, position=1, total=3) is LEGAL[(phase, move)]
    else:
        with pytest.raises(IllegalMove):
            after(phase, move, position=1, total=3)


def test_there_is_no_next_question_after_the_last():
    with pytest.raises(IllegalMove, match="last question"):
        after(Phase.RESULTS, Move.NEXT, position=3, total=3)
    with pytest.raises(IllegalMove):
        after(Phase.LOBBY, Move.START, position=0, total=0)
    assert after(Phase.RESULTS, Move.FINISH, position=3, total=3) is Phase.FINISHED


def test_an_open_question_past_its_deadline_reads_as_closed():
    closes = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert phase_at(Phase.QUESTION_OPEN, closes, closes - timedelta(seconds=1)) is Phase.QUESTION_OPEN
    assert phase_at(Phase.QUESTION_OPEN, closes, closes) is Phase.QUESTION_CLOSED
    assert phase_at(Phase.RESULTS, closes, closes + timedelta(hours=1)) is Phase.RESULTS


def test_pins_are_six_digits_typed_with_or_without_spaces():
    pins = {new_pin() for _ in range(200)}
    assert all(len(p) == 6 and p.isdigit() and p[0] != "0" for p in pins) and len(pins) > 150
    assert clean_pin(" 123 456 ") == "123456"
    assert clean_pin("12345") is None and clean_pin("12345a") is None and clean_pin("١٢٣٤٥٦") is None


def test_a_nickname_is_trimmed_and_its_spaces_collapsed():
    assert clean_nickname("  Captain   Ada ") == "Captain Ada"
    assert nickname_key("Captain Ada") == nickname_key("captain-ADA") == nickname_key("Captäin Ada")


@pytest.mark.parametrize(("raw", "reason"), [
    ("", "at least one letter"), ("   ", "at least one letter"), ("!!!", "at least one letter"),
    ("x" * 21, "20 characters"), ("ada\u0007", "letters, digits"), ("Shit happens", "not allowed"),
    ("bigFUCKer", "not allowed"),
])
def test_a_bad_nickname_is_refused_with_a_reason(raw, reason):
    with pytest.raises(BadNickname, match=reason):
        clean_nickname(raw)


def test_the_host_can_block_more_words_and_short_words_block_only_whole():
    with pytest.raises(BadNickname):
        clean_nickname("Mr Banana", {"banana"})
    assert clean_nickname("Classy Lass") == "Classy Lass"  # "ass" is blocked only as a word of its own


def test_names_that_hold_a_short_blocked_word_are_names():
    for name in ("Hancock", "Dickinson", "Scunthorpe", "Matsushita", "Peacock"):
        assert clean_nickname(name) == name
    with pytest.raises(BadNickname):
        clean_nickname("Dick")  # a word of its own
