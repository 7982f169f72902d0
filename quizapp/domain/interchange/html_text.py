"""HTML from other quiz tools made into the plain text a bank holds, saying what could not come along.

Moodle writes question texts as HTML (GIFT's ``[html]`` and ``[moodle]`` texts, Moodle XML's
``format="html"``). A bank holds plain text, shown escaped, so the HTML is read with Beautiful Soup
(over the standard library's parser) and written out as text: entities decoded; paragraphs, line
breaks, headings, list items and table rows on lines of their own; ordered list items numbered;
table cells split by `` | ``; a link as its text, followed by its address in parentheses when the
address says more than the text; superscripts and subscripts written ``^2`` and ``_2`` so that
``x<sup>2</sup>`` does not become ``x2``. Scripts, styles and comments are no text and are dropped.

What a student would need and plain text cannot hold is listed in ``not_carried``, one entry per
thing: images, audio and video (as elements, or as links to a sound or video file, which Moodle
turns into a player), embedded frames and objects, and files kept inside the Moodle file
(``@@PLUGINFILE@@``). Rewritings a reader may want to check are listed in ``converted``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4.exceptions import ParserRejectedMarkup

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
})
HIDDEN_TAGS = frozenset({"script", "style", "template", "head", "title", "noscript"})
MEDIA_TAGS = {
    "img": "an image", "picture": "an image", "svg": "a drawing (SVG)", "canvas": "a drawing (canvas)",
    "audio": "an audio player", "video": "a video", "iframe": "an embedded page", "object": "an embedded object",
    "embed": "an embedded object", "map": "an image map", "math": "a formula (MathML)",
}
AUDIO = frozenset({".mp3", ".wav", ".ogg", ".oga", ".m4a", ".aac", ".flac", ".opus", ".wma", ".mid", ".midi"})
VIDEO = frozenset({".mp4", ".m4v", ".webm", ".ogv", ".mov", ".avi", ".mkv", ".wmv", ".flv", ".mpg", ".mpeg"})
IMAGE = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff"})
VIDEO_SITES = ("youtube.com", "youtu.be", "vimeo.com")
PLUGINFILE = "@@PLUGINFILE@@"
# Text that Moodle would show as markup: a known tag, or an entity. Plain text with a lone '<' is not it.
_TAG_NAMES = "|".join(sorted(BLOCK_TAGS | HIDDEN_TAGS | set(MEDIA_TAGS) | {
    "a", "b", "i", "u", "s", "em", "strong", "span", "sup", "sub", "code", "small", "big", "font", "center",
    "mark", "tt", "del", "ins", "source", "td", "th", "col", "colgroup", "label", "input", "body", "html"}))
_LOOKS_LIKE_HTML = re.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>]*)?/?>|&(?:[a-zA-Z][a-zA-Z0-9]{{1,31}}|#\d{{1,7}}|"
                              r"#[xX][0-9a-fA-F]{1,6});", re.IGNORECASE)


class UnreadableHtml(ValueError):
    """HTML that the parser gives up on (such as ``<![foo[``, an unknown marked section)."""


@dataclass
class HtmlText:
    """The text of an HTML fragment, and what the text could not hold or had to rewrite."""

    text: str
    not_carried: list[str] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds a known HTML tag or an entity, which Moodle would render as HTML."""
    return bool(_LOOKS_LIKE_HTML.search(text))


def _file_name(url: str) -> str:
    """A file kept inside the imported file by its name; anything else by its address."""
    url = url.strip()
    if url.startswith(PLUGINFILE):
        return PurePosixPath(unquote(urlsplit(url.replace(PLUGINFILE, "")).path)).name or url
    parts = urlsplit(url)
    if parts.netloc:
        return _shown(parts.netloc + parts.path)
    return PurePosixPath(unquote(parts.path)).name or url


def _kind_of_link(url: str) -> str | None:
    """What a link points at when it is media a player would show: 'an audio file', 'a video' …"""
    parts = urlsplit(url.strip())
    suffix = PurePosixPath(unquote(parts.path)).suffix.lower()
    if suffix in AUDIO:
        return "an audio file"
    if suffix in VIDEO or any(parts.netloc.lower().endswith(site) for site in VIDEO_SITES):
        return "a video"
    if suffix in IMAGE:
        return "an image"
    if url.strip().startswith(PLUGINFILE):
        return "a file kept inside the imported file"
    return None


def _shown(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class _Writer:
    def __init__(self, keep_newlines: bool):
        self.keep_newlines = keep_newlines
        self.parts: list[str] = []
        self.not_carried: list[str] = []
        self.converted: list[str] = []

    def note(self, notes: list[str], message: str) -> None:
        if message not in notes:
            notes.append(message)

    def media(self, tag: Tag) -> None:
        what = MEDIA_TAGS[tag.name]
        source = tag.get("src") or tag.get("data") or tag.get("href") or ""
        if not source:
            inner = tag.find("source")
            source = inner.get("src", "") if isinstance(inner, Tag) else ""
        label = str(tag.get("alt") or tag.get("title") or tag.get("aria-label") or "").strip()
        details = [f"'{_shown(label)}'"] if label else []
        if isinstance(source, str) and source.strip():
            details.append(_shown(_file_name(source)))
        self.note(self.not_carried, what + (f" ({', '.join(details)})" if details else ""))

    def link(self, tag: Tag) -> None:
        href = str(tag.get("href") or "").strip()
        start = len(self.parts)
        self.children(tag)
        text = "".join(self.parts[start:]).strip()
        kind = _kind_of_link(href) if href else None
        if kind:
            self.note(self.not_carried, f"{kind} linked from '{_shown(text) or href}' ({_shown(_file_name(href))})")
            return
        scheme = urlsplit(href).scheme.lower()
        if href and scheme in ("http", "https", "mailto") and href.removeprefix("mailto:") not in text:
            self.parts.append(f" ({href})")
            self.note(self.converted, "a link was written as its text and its address in parentheses")

    def children(self, tag: Tag) -> None:
        for child in tag.children:
            self.node(child)

    def node(self, node) -> None:
        if isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
            return
        if isinstance(node, NavigableString):
            text = str(node)
            self.parts.append(text if self.keep_newlines else re.sub(r"\s+", " ", text))
            return
        if not isinstance(node, Tag):
            return
        name = node.name.lower()
        if name in HIDDEN_TAGS:
            return
        if name in MEDIA_TAGS:
            self.media(node)
            return
        if name == "a":
            self.link(node)
            return
        if name == "br":
            self.parts.append("\n")
            return
        if name in ("sup", "sub"):
            start = len(self.parts)
            self.children(node)
            inner = "".join(self.parts[start:]).strip()
            del self.parts[start:]
            if inner:
                mark = "^" if name == "sup" else "_"
                self.parts.append(mark + (inner if len(inner) == 1 or inner.isalnum() else f"({inner})"))
                self.note(self.converted, "superscripts and subscripts were written with ^ and _")
            return
        if name == "pre":
            self.parts.append("\n" + node.get_text() + "\n")
            return
        if name in ("td", "th"):
            self.parts.append(" | ")
            self.children(node)
            return
        if name == "table":
            self.note(self.converted, "a table was written as lines of text, its cells split by |")
        if name == "li":
            parent = node.find_parent(["ol", "ul"])
            self.parts.append("\n")
            if parent is not None and parent.name == "ol":
                number = len(node.find_previous_siblings("li")) + 1
                self.parts.append(f"{number}. ")
            self.children(node)
            self.parts.append("\n")
            return
        block = name in BLOCK_TAGS
        if block:
            self.parts.append("\n")
        self.children(node)
        if block:
            self.parts.append("\n")


def _tidy(text: str) -> str:
    """Spaces collapsed on each line, a table row's leading ' | ' dropped, blank lines dropped, ends trimmed."""
    lines = (" ".join(line.split()).removeprefix("| ").removeprefix("|").strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_text(html: str, keep_newlines: bool = False) -> HtmlText:
    """The plain text of an HTML fragment, with what it could not carry; UnreadableHtml if it cannot be read.

    ``keep_newlines`` is Moodle's auto-format, where a line break in the source is a line break."""
    # Inside a <div>, Beautiful Soup never mistakes a short text for a file name or an address, nor a
    # fragment starting <?xml for an XML document: warnings it would give about the input, not the code.
    try:
        soup = BeautifulSoup("<div>" + html + "</div>", "html.parser")
    except ParserRejectedMarkup as error:
        reason = str(error).strip().splitlines()[-1].split(":", 1)[-1].strip()
        raise UnreadableHtml(reason or "the HTML parser gave up") from None
    writer = _Writer(keep_newlines)
    writer.children(soup)
    return HtmlText(_tidy("".join(writer.parts)), writer.not_carried, writer.converted)
