"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read with feedparser from bytes already fetched (no timeout)."""

from __future__ import annotations

import io
import re
import time
import xml.sax
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import feedparser

from .dates import read_date
from .records import (
    MAX_AUTHOR_LENGTH,
    MAX_QUOTED_LENGTH,
    MAX_URL_LENGTH,
    ParseError,
    ParseResult,
    PostRecord,
    RecordError,
    RecordProblem,
    SeenIds,
    check_external_id,
    json_for_error,
    published_at_problem,
    storable_text,
    text_size_problem,
    utc_from_timestamp_tuple,
)

_LANGUAGE = re.compile(r"[A-Za-z]{2,8}")
_ELLIPSIS = ("...", "\u2026")
# What feedparser's "published" and "updated" were called in the document, for messages staff read.
_RSS_DATE_NAMES = {"published": "pubDate", "updated": "dc:date"}


def parse(data: bytes | str, *, response_headers: dict[str, str] | None = None) -> ParseResult:
    """Read an RSS 2.0, RSS 1.0 or Atom feed into post records.

    ``response_headers`` are the HTTP headers the feed came with (Content-Type gives the charset,
    Content-Location the base URL). A malformed feed whose entries could still be read keeps them
    and reports feedparser's complaint in ``result.meta["warning"]``; bytes that are not a feed at
    all raise ``ParseError``. Entries are numbered from 1 ("entry 4") in document order.

    Dates feedparser cannot read (French, Spanish or Creole words) are read by ``dates.read_date``;
    one still unreadable leaves the post undated with a warning, and a date before 2000 or more than
    a day ahead refuses the entry. An entry without an author has the feed's (Atom says it inherits it).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = bytes(data)
    if not data.strip():
        raise ParseError("empty input: no feed")
    # feedparser looks headers up by lower-case name.
    headers = {str(key).lower(): str(value) for key, value in (response_headers or {}).items()}
    try:
        # Always a stream: feedparser treats a str or bytes argument as a URL or file name to open.
        feed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # feedparser is third-party code reading untrusted bytes
        raise ParseError(f"the feed could not be parsed: {type(exc).__name__}: {exc}") from exc

    warning = _bozo_warning(feed) if feed.get("bozo") else None
    entries = feed.get("entries") or []
    version = feed.get("version") or ""
    if not version and not entries:
        reason = warning or "the document has no rss, feed or RDF root element"
        raise ParseError(f"not an RSS or Atom feed: {reason}")

    channel = feed.get("feed") or {}
    feed_language = _language_code(channel.get("language")) or _language_code(headers.get("content-language"))
    feed_updated, _, _ = _date(channel, atom=version.startswith("atom"))
    result = ParseResult(
        meta={
            "format": version or "unknown",
            "title": storable_text(_plain(channel, "title")),
            "link": storable_text(_string(channel.get("link"))),
            "language": feed_language,
            "updated": feed_updated.isoformat().replace("+00:00", "Z") if feed_updated else "",
        }
    )
    if warning:
        result.meta["warning"] = warning

    feed_author = _author(channel)
    # A repeated id with the same text is harmless; with another text it is a second version, refused.
    seen = SeenIds(position_of=lambda number: f"entry {number}")
    for number, entry in enumerate(entries, start=1):
        position = f"entry {number}"
        try:
            record = _record(entry, feed_language, feed_author, atom=version.startswith("atom"))
        except RecordProblem as problem:
            result.errors.append(
                RecordError(
                    position=position,
                    external_id=problem.external_id,
                    message=problem.message,
                    raw=json_for_error(jsonable(entry)),
                )
            )
            continue
        repeat = seen.repeat(record.external_id, record.text, ordinal=number, position=position)
        if repeat is not None:
            code, message = repeat
            result.errors.append(
                RecordError(
                    position=position,
                    external_id=record.external_id,
                    message=message,
                    raw=json_for_error(record.raw),
                    code=code,
                )
            )
            continue
        result.posts.append(record)
    return result


def _record(entry: dict[str, Any], feed_language: str, feed_author: str, *, atom: bool) -> PostRecord:
    link = _string(entry.get("link")).strip()
    external_id = _string(entry.get("id")).strip() or link
    if not external_id:
        raise RecordProblem("entry has neither an id (guid) nor a link")
    check_external_id(external_id)

    text = _entry_text(entry)
    if not text:
        raise RecordProblem("entry has no title, summary or content", external_id=external_id)
    problem = text_size_problem(text)
    if problem:
        raise RecordProblem(problem, external_id=external_id)

    published_at, source, unread = _date(entry, atom=atom)
    problem = published_at_problem(published_at, what=source)
    if problem:
        raise RecordProblem(problem, external_id=external_id)
    outcome = f"the date is the {source}" if published_at else "the post has no date"
    warnings = tuple(storable_text(f"{name} {text!r} could not be read; {outcome}") for name, text in unread)

    return PostRecord(
        external_id=external_id,
        text=text,
        url=_entry_url(entry),
        author=storable_text(_author(entry) or feed_author)[:MAX_AUTHOR_LENGTH],
        language=_entry_language(entry) or feed_language,
        published_at=published_at,
        raw=jsonable(entry),
        warnings=warnings,
    )


def _date(container: dict[str, Any], *, atom: bool) -> tuple[datetime | None, str, list[tuple[str, str]]]:
    """The publication time (else the update time), the element it came from, and dates not read.

    feedparser keeps each date's text beside its parse; text it could not parse is read with
    ``read_date``, and what neither reads is returned as (element, text) for a warning.
    """
    unread: list[tuple[str, str]] = []
    for key in ("published", "updated"):
        name = key if atom else _RSS_DATE_NAMES[key]
        # dict.get: FeedParserDict.get("updated_parsed") falls back to published with a warning.
        moment = utc_from_timestamp_tuple(dict.get(container, f"{key}_parsed"))
        text = _string(dict.get(container, key)).strip()
        if moment is None and text:
            moment = read_date(text)
        if moment is not None:
            return moment, name, unread
        if text:
            unread.append((name, text[:MAX_QUOTED_LENGTH]))
    return None, "", unread


def _author(container: dict[str, Any]) -> str:
    """The author names of an entry or feed (several dc:creator or Atom authors joined by commas)."""
    names: list[str] = []
    authors = container.get("authors")
    for author in authors if isinstance(authors, list) else []:
        if isinstance(author, dict):
            name = _string(author.get("name")).strip() or _string(author.get("email")).strip()
            if name and name not in names:
                names.append(name)
    return ", ".join(names) or _string(container.get("author")).strip()


def _entry_text(entry: dict[str, Any]) -> str:
    """Title and body as plain text, without repeating the title when the body starts with it."""
    title = _plain(entry, "title")
    body = ""
    contents = entry.get("content")
    if isinstance(contents, list):
        # Atom <content> / RSS content:encoded is the full text; the summary is often a teaser of it.
        body = "\n\n".join(filter(None, (_detail_text(part) for part in contents)))
    if not body:
        body = _plain(entry, "summary")
    text = _join_title_and_body(title, body)
    return storable_text(text)


def _join_title_and_body(title: str, body: str) -> str:
    # Feeds made from social posts set the title to the (cut) post text and repeat it in the body;
    # writing it twice would make figures and places count twice downstream.
    if not title or not body:
        return title or body
    squashed_title = " ".join(title.split())
    squashed_body = " ".join(body.split())
    stem = squashed_title
    for ellipsis in _ELLIPSIS:
        stem = stem.removesuffix(ellipsis)
    stem = stem.rstrip()
    if stem and squashed_body.startswith(stem):
        return body
    if squashed_title.startswith(squashed_body):
        return title
    return f"{title}\n\n{body}"


def _plain(container: Any, key: str) -> str:
    """The plain text of a feedparser field such as ``title`` or ``summary``."""
    if not isinstance(container, dict):
        return ""
    detail = container.get(f"{key}_detail")
    if isinstance(detail, dict) and isinstance(detail.get("value"), str):
        return _detail_text(detail)
    return _string(container.get(key)).strip()


def _detail_text(detail: Any) -> str:
    if not isinstance(detail, dict):
        return ""
    value = _string(detail.get("value"))
    if "html" in _string(detail.get("type")):
        return html_to_text(value)
    return value.strip()


def _entry_url(entry: dict[str, Any]) -> str:
    # feedparser copies a permalink guid into "link" even when it is not a URL ("guidislink").
    candidates = [entry.get("link")]
    links = entry.get("links")
    if isinstance(links, list):
        candidates += [
            link.get("href") for link in links if isinstance(link, dict) and link.get("rel") == "alternate"
        ]
    for candidate in candidates:
        url = _string(candidate).strip()
        if url.lower().startswith(("http://", "https://")) and len(url) <= MAX_URL_LENGTH:
            return storable_text(url)
    return ""


def _entry_language(entry: dict[str, Any]) -> str:
    contents = entry.get("content")
    # Atom puts xml:lang on the element, and some publishers only on <content> (Movable Type).
    details = [entry.get("title_detail"), entry.get("summary_detail")]
    details += contents if isinstance(contents, list) else []
    for detail in details:
        if isinstance(detail, dict):
            code = _language_code(detail.get("language"))
            if code:
                return code
    return ""


def _language_code(value: Any) -> str:
    """The primary subtag of a language tag, lower case ("fr-FR" -> "fr"), as X gives ``lang``."""
    primary = _string(value).strip().replace("_", "-").split("-")[0]
    return primary.lower() if _LANGUAGE.fullmatch(primary) else ""


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _bozo_warning(feed: dict[str, Any]) -> str:
    exc = feed.get("bozo_exception")
    if exc is None:
        return "the feed is not well-formed"
    where = ""
    if isinstance(exc, xml.sax.SAXParseException):
        where = f" at line {exc.getLineNumber()} column {exc.getColumnNumber()}"
    message = exc.getMessage() if isinstance(exc, xml.sax.SAXException) else str(exc)
    return storable_text(f"{type(exc).__name__}{where}: {message}")


def jsonable(value: Any, depth: int = 0) -> Any:
    """A JSON-serialisable copy of a feedparser value (dates as ISO strings, text made storable)."""
    if depth > 50:  # feedparser output is shallow; this only guards against surprises
        return None
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, time.struct_time):
        moment = utc_from_timestamp_tuple(value)
        return moment.isoformat().replace("+00:00", "Z") if moment else None
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {storable_text(str(key)): jsonable(child, depth + 1) for key, child in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(child, depth + 1) for child in value]
    return storable_text(str(value))


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, with line breaks where blocks end."""

    _BLOCKS = frozenset({"p", "div", "br", "hr", "li", "ul", "ol", "tr", "table", "blockquote", "pre"}) | {
        *("section", "article", "header", "footer", "figure", "figcaption"),
        *("h1", "h2", "h3", "h4", "h5", "h6"),
    }
    _SKIPPED = frozenset({"script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # also unescapes &amp;, &#233; and the rest
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities unescaped, blank runs collapsed."""
    extractor = _TextExtractor()
    try:
        extractor.feed(fragment)
        extractor.close()
    except Exception:  # html.parser is lenient, but the text matters more than the markup
        return " ".join(re.sub(r"<[^>]*>", " ", fragment).split())
    lines = ("".join(extractor.parts)).split("\n")
    paragraphs: list[str] = []
    blank = False
    for line in lines:
        squashed = " ".join(line.split())
        if squashed:
            if blank and paragraphs:
                paragraphs.append("")
            paragraphs.append(squashed)
            blank = False
        else:
            blank = True
    return "\n".join(paragraphs)
