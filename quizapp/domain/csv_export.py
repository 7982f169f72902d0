"""CSV files that spreadsheets open safely: quoted properly, UTF-8 with a byte-order mark (so
Excel reads accented names), and no cell that a spreadsheet would run as a formula."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from quizapp.domain.points import points_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as text; one starting like a formula gets a leading apostrophe (OWASP's advice).

    Numbers are left as they are, negative ones included: they are data, not formulas.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return points_text(value) if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole file as text, starting with a byte-order mark."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()
