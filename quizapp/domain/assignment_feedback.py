"""What a student sees of their answers in an assignment, and when, said in plain words to the teacher
setting it and to the student taking it.

Two rules meet here: the quiz's own feedback setting (after each question, or at the end), and the rule
that keeps the correct answers and explanations back while the student may still try again: until the
assignment closes or they have used every attempt (``services.attempts.reveals_key``). With one attempt
the quiz's setting holds as it is; with more, or no limit, only right or wrong shows until then.
"""

from __future__ import annotations


def assignment_feedback(feedback: str, attempts_allowed: int | None, *, student: bool = False) -> str:
    """The sentence for a quiz whose feedback is ``feedback`` ("after_each" or "at_end"), set with
    ``attempts_allowed`` (None: no limit), for the teacher or, with ``student``, for the student."""
    who, whose, has = ("you", "your", "you have") if student else ("students", "their", "a student has")
    until = "once the quiz closes" + ("" if attempts_allowed is None else f" or {has} used every attempt")
    why = (f"so that {who} cannot copy them into another attempt" if attempts_allowed != 1 else "")
    if feedback == "at_end":
        if attempts_allowed == 1:
            return (f"Nothing is shown while {who} answer. At the end: {whose} score, right or wrong for each "
                    "question, the correct answers and the explanations.")
        return (f"Nothing is shown while {who} answer. At the end of each attempt: {whose} score and right or "
                f"wrong for each question. The correct answers and explanations are shown {until}, {why}.")
    if attempts_allowed == 1:
        return "After each answer: right or wrong, the correct answer and the explanation."
    return (f"After each answer: right or wrong only. The correct answers and explanations are shown {until}, "
            f"{why}.")


ATTEMPT_CASES = (("one", 1, "one attempt"), ("several", 3, "a set number of attempts"), ("any", None, "no limit"))
"""How the assignment form tells the cases apart: a name, an attempts limit standing for it, a label."""
