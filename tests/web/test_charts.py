"""The chart macros: accessible inline SVG (title, description, a bar per value) and a table alternative."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from quizapp.domain.statistics import Bin, Mastery, histogram

TEMPLATES = Path(__file__).parents[2] / "quizapp" / "templates"
SVG = "{http://www.w3.org/2000/svg}"
ATTACK = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def charts():
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    return environment.get_template("_charts.html").module


def svg_of(html: str) -> ET.Element:
    """The chart's <svg> element, parsed as XML (which fails on anything unescaped or unclosed)."""
    return ET.fromstring(re.search(r"<svg\b.*?</svg>", html, re.DOTALL)[0])


def table_of(html: str) -> list[list[str]]:
    """The text of each cell of the table alternative, row by row, header first."""
    details = ET.fromstring(re.search(r"<details\b.*?</details>", html, re.DOTALL)[0])
    return [["".join(cell.itertext()) for cell in row] for row in details.iter("tr")]


def bars_of(svg: ET.Element) -> list[ET.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "chart-bar"]


def check_accessible(svg: ET.Element, title: str) -> str:
    """The image's name and description come from its own <title> and <desc>; returns the description."""
    assert svg.get("role") == "img"
    chart_id = svg.get("id")
    assert svg.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert svg.find(f"{SVG}title").get("id") == f"{chart_id}-title"
    assert svg.find(f"{SVG}title").text == title
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == f"{chart_id}-desc"
    assert svg.get("viewBox") and svg.get("width") == "100%"
    return desc.text


def check_self_contained(html: str) -> None:
    """Nothing the Content-Security-Policy would block or that loads from elsewhere."""
    assert "<script" not in html
    assert "style=" not in html
    assert "<style" not in html
    assert "href" not in html
    assert "<image" not in html and "<img" not in html


# --- histogram_chart -------------------------------------------------------------------

def test_histogram_chart(charts):
    html = str(charts.histogram_chart(histogram([100, 75, 50, 50, 0, 55, 95]), "Scores", "scores"))
    svg = svg_of(html)
    assert check_accessible(svg, "Scores") == "Scores of 7 attempts, most often 50% to under 60% (3 attempts)."
    assert [bar.find(f"{SVG}title").text for bar in bars_of(svg)] == [
        "0% to under 10%: 1 attempt",
        "10% to under 20%: 0 attempts",
        "20% to under 30%: 0 attempts",
        "30% to under 40%: 0 attempts",
        "40% to under 50%: 0 attempts",
        "50% to under 60%: 3 attempts",
        "60% to under 70%: 0 attempts",
        "70% to under 80%: 1 attempt",
        "80% to under 90%: 0 attempts",
        "90% to 100%: 2 attempts",
    ]
    check_self_contained(html)


def test_histogram_bar_heights_follow_the_counts(charts):
    """The tallest bar (3) fills the plot; a bar of 1 is a third of it, a bar of 0 is flat."""
    svg = svg_of(str(charts.histogram_chart(histogram([55, 55, 55, 5]), "Scores", "s")))
    heights = [float(bar.get("height")) for bar in bars_of(svg)]
    assert heights[5] == pytest.approx(3 * heights[0], abs=0.02)
    assert heights[1] == 0


def test_histogram_table_alternative(charts):
    html = str(charts.histogram_chart(histogram([100, 75, 50, 50, 0], bins=5), "Scores", "scores"))
    assert table_of(html) == [
        ["Score", "Attempts"],
        ["0% to under 20%", "1"],
        ["20% to under 40%", "0"],
        ["40% to under 60%", "2"],
        ["60% to under 80%", "1"],
        ["80% to 100%", "1"],
    ]
    assert "<caption>Scores</caption>" in html


def test_histogram_description_of_ties_one_band_and_nothing(charts):
    def describe(values):
        return svg_of(str(charts.histogram_chart(histogram(values), "Scores", "s"))).find(f"{SVG}desc").text

    assert describe([15, 16, 55, 57, 90]) == (
        "Scores of 5 attempts, most often 10% to under 20% or 50% to under 60% (2 attempts each)."
    )
    assert describe([100, 95]) == "Scores of 2 attempts, all 90% to 100%."
    assert describe([]) == "No scores yet."


def test_histogram_of_no_scores_draws_flat_bars(charts):
    svg = svg_of(str(charts.histogram_chart(histogram([]), "Scores", "s")))
    assert [float(bar.get("height")) for bar in bars_of(svg)] == [0] * 10


def test_histogram_with_uneven_bins(charts):
    html = str(charts.histogram_chart(histogram([10, 50], bins=3), "Scores", "s"))
    assert [row[0] for row in table_of(html)[1:]] == ["0% to under 33.3%", "33.3% to under 66.7%", "66.7% to 100%"]
    assert len(bars_of(svg_of(html))) == 3


def test_histogram_title_is_escaped(charts):
    html = str(charts.histogram_chart([Bin(0, 100, 1)], ATTACK, "s"))
    assert "<script" not in html
    assert svg_of(html).find(f"{SVG}title").text == ATTACK


# --- bar_chart -------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    label: str
    value: float | None
    note: str = ""


FACILITY = [
    {"label": "Q1 When did the harbour open?", "value": 0.8, "note": "5 attempts"},
    {"label": "Q2 Who runs it?", "value": 0.25, "note": "4 attempts"},
    {"label": "Q3 Unasked", "value": None},
]


def test_bar_chart(charts):
    html = str(charts.bar_chart(FACILITY, "Facility per question", "facility"))
    svg = svg_of(html)
    assert check_accessible(svg, "Facility per question") == (
        "2 bars, from 25% (Q2 Who runs it?) to 80% (Q1 When did the harbour open?). 1 without data."
    )
    bars = bars_of(svg)
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "Q1 When did the harbour open?: 80% (5 attempts)",
        "Q2 Who runs it?: 25% (4 attempts)",
        "Q3 Unasked: no data",
    ]
    assert [float(bar.get("width")) for bar in bars] == pytest.approx([0.8 * 300, 0.25 * 300, 0])
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert labels[:3] == [row["label"] for row in FACILITY]
    check_self_contained(html)


def test_bar_chart_table_alternative(charts):
    html = str(charts.bar_chart(FACILITY, "Facility", "f", label_heading="Question", value_heading="Facility"))
    assert table_of(html) == [
        ["Question", "Facility", "Note"],
        ["Q1 When did the harbour open?", "80%", "5 attempts"],
        ["Q2 Who runs it?", "25%", "4 attempts"],
        ["Q3 Unasked", "no data", ""],
    ]


def test_bar_chart_of_objects_without_notes(charts):
    """Mastery per key point: rows may be objects; no note, no note column."""
    shares = [Mastery("key_point 1", 3, 4, 0.75), Mastery("key_point 2", 1, 3, 1 / 3)]
    rows = [Row(f"Key point {m.reference.split()[1]}", m.share) for m in shares]
    html = str(charts.bar_chart(rows, "Mastery per key point", "mastery", label_heading="Key point"))
    svg = svg_of(html)
    assert [bar.find(f"{SVG}title").text for bar in bars_of(svg)] == ["Key point 1: 75%", "Key point 2: 33%"]
    assert table_of(html)[0] == ["Key point", "Value"]
    assert table_of(html)[1:] == [["Key point 1", "75%"], ["Key point 2", "33%"]]


def test_bar_chart_of_plain_numbers(charts):
    """max_value 10, not as percentages: 5 is half the width and reads "5"; bars never overrun."""
    rows = [Row("five", 5), Row("twelve", 12), Row("below zero", -1)]
    svg = svg_of(str(charts.bar_chart(rows, "Points", "p", max_value=10, as_percent=False)))
    bars = bars_of(svg)
    assert [float(bar.get("width")) for bar in bars] == [150, 300, 0]
    assert bars[0].find(f"{SVG}title").text == "five: 5"
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"][3:]
    assert ticks == ["0", "2.5", "5", "7.5", "10"]


def test_bar_chart_descriptions_of_few_rows(charts):
    def describe(rows):
        return svg_of(str(charts.bar_chart(rows, "Facility", "f"))).find(f"{SVG}desc").text

    assert describe([]) == "No data yet."
    assert describe([Row("Q1", None), Row("Q2", None)]) == "2 rows, none with data yet."
    assert describe([Row("Q1", 0.5)]) == "Q1: 50%."


def test_bar_chart_shortens_long_labels_only_on_the_image(charts):
    long_label = "Q9 " + "Which of these did the coalition promise? " * 2
    html = str(charts.bar_chart([Row(long_label, 1.0)], "Facility", "f"))
    svg = svg_of(html)
    shown = next(t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label")
    assert len(shown) == 50 and shown.endswith("…")
    assert bars_of(svg)[0].find(f"{SVG}title").text == f"{long_label}: 100%"
    assert table_of(html)[1][0] == long_label


def test_bar_chart_escapes_labels_and_notes(charts):
    html = str(charts.bar_chart([Row(ATTACK, 0.5, note=ATTACK)], ATTACK, "f"))
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    svg = svg_of(html)
    assert svg.find(f"{SVG}title").text == ATTACK
    assert bars_of(svg)[0].find(f"{SVG}title").text == f"{ATTACK}: 50% ({ATTACK})"
    assert table_of(html)[1] == [ATTACK, "50%", ATTACK]


# --- readable on a phone -------------------------------------------------------------------

PHONE_CHART_WIDTH = 330  # px: a 390 px screen less the page's and the chart's padding
SMALLEST_READABLE_PX = 11


def _text_px(svg: ET.Element, rendered_width: float) -> float:
    """The size in pixels the chart's text is drawn at when the image is ``rendered_width`` px wide."""
    view_width = float(svg.get("viewBox").split()[2])
    return float(svg.get("font-size")) * rendered_width / view_width


@pytest.mark.parametrize("chart", ["bars", "histogram"])
def test_chart_text_stays_readable_on_a_phone(charts, chart):
    """Drawn into a phone's width, the labels are at least 11 px; the stylesheet keeps charts at most 30rem
    wide, so on a desktop they are not blown up past 18 px either."""
    if chart == "bars":
        svg = svg_of(str(charts.bar_chart(FACILITY, "Facility", "f")))
    else:
        svg = svg_of(str(charts.histogram_chart(histogram([10, 50]), "Scores", "s")))
    assert _text_px(svg, PHONE_CHART_WIDTH) >= SMALLEST_READABLE_PX
    assert _text_px(svg, 480) <= 18
    css = (TEMPLATES.parent / "static" / "style.css").read_text()
    assert ".chart svg { max-width: min(100%, 30rem); }" in css


def test_bar_labels_have_a_line_of_their_own_above_their_bar(charts):
    """Each label starts at the left edge, above its bar, so a long one gets the whole width."""
    svg = svg_of(str(charts.bar_chart(FACILITY, "Facility", "f")))
    labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"][:3]
    for label, bar in zip(labels, bars_of(svg), strict=True):
        assert float(label.get("x")) < 10 and label.get("text-anchor") is None
        assert float(label.get("y")) <= float(bar.get("y"))


def test_histogram_ticks_do_not_crowd(charts):
    """Ten bins are labelled every other one, 0 to 100 by 20."""
    svg = svg_of(str(charts.histogram_chart(histogram([10, 50]), "Scores", "s")))
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"][2:-2]
    assert ticks == ["0", "20", "40", "60", "80", "100"]
