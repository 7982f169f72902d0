"""Points as people read them: to the hundredth, the one precision they are stored with
(``models.base.Points``), without trailing zeros."""


def points_text(value: float) -> str:
    """``39``, ``38.5``, ``0.67``: the same on pages, in CSV files and wherever else points are written."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
