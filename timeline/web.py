"""Articles from the web: fetch a news page (or read a saved ``.html`` file) and take its article.

The main text comes from trafilatura (navigation, ads, related links and
reader comments left out), the publication date from htmldate (the original
publication date, from the page's markup: JSON-LD, meta tags, ``<time>``
elements, the URL), the title and site name from the page's metadata.

Fetching sends a plain user agent (``USER_AGENT``), gives up after
``FETCH_TIMEOUT`` seconds in all (not per read), follows redirects only to
http(s) URLs, and refuses a page larger than ``MAX_PAGE_BYTES`` (10 MiB, by
its Content-Length or as it arrives) or one that is not HTML.  Every failure
is a WebError with one line naming the URL or file.

>>> from timeline.web import read_page
>>> page = read_page(open("article.html", "rb").read(), name="article.html")  # doctest: +SKIP
>>> page.published, page.published_how  # doctest: +SKIP
(datetime.date(2014, 12, 29), "the page's JSON-LD datePublished")
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from timeline import __version__
from timeline.errors import TimelineError

MAX_PAGE_BYTES = 10 * 1024 * 1024
FETCH_TIMEOUT = 30.0  # seconds for the whole page
USER_AGENT = f"timeline-news/{__version__} (news chronology tool; Python urllib)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.IGNORECASE | re.DOTALL)
_CHUNK = 64 * 1024
PROSE_WORDS = 12  # a page has article text if one paragraph has this many words and ends like a sentence

# Meta tags that hold a publication date, as htmldate reads them (checked only to say where a date came from).
_META_NAMES = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
               "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
               "sailthru.date", "parsely-pub-date", "article.published", "date_published", "citation_date",
               "citation_publication_date", "og:article:published_time")  # fmt: skip


class WebError(TimelineError, ValueError):
    """A page cannot be fetched or read: unreachable, too large, not HTML, or without article text."""


@dataclass(frozen=True)
class WebArticle:
    """An article read from a web page: its text and what the page says about it."""

    text: str  # the main text, paragraphs separated by blank lines
    title: str
    site: str  # the site's name (og:site_name...), else its host
    url: str  # the page's address: as fetched (after redirects), or the canonical URL of a saved file; "" if none
    published: _dt.date | None  # the publication date in the page's markup, None if it gives none
    published_how: str  # where that date was found: "the page's JSON-LD datePublished", ...
    location: str  # what was read: the URL asked for, or the file's path

    @property
    def words(self) -> int:
        """The number of words in the text."""
        return len(self.text.split())

    def source_fields(self) -> dict[str, str]:
        """``source``, ``source_url`` and ``source_date`` for the events of this article."""
        return {
            "source": self.site,
            "source_url": self.url,
            "source_date": self.published.isoformat() if self.published else "",
        }


def is_url(text: str) -> bool:
    """True if the text is an address with a scheme (http://, https://, file://...), not a file name."""
    return bool(_URL.match((text or "").strip()))


def looks_like_html(data: bytes) -> bool:
    """True if the bytes start like an HTML document (a doctype, ``<html>`` or ``<head>``)."""
    return bool(_HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")))


def fetch_page(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_PAGE_BYTES) -> tuple[bytes, str, str]:
    """An HTML page's bytes, the URL they came from (after redirects) and the charset the server named ("" if none).

    WebError on any failure.
    """
    import http.client
    import socket
    import urllib.error
    import urllib.request

    url = url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise WebError(f"{url}: only http and https addresses can be fetched (save the page and give the file)")
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}
    )
    opener = urllib.request.build_opener(_redirect_handler())
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            kind = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
            charset = response.headers.get_content_charset() or ""
            if kind and kind not in HTML_TYPES:
                raise WebError(f"{url}: not a web page (the server sent {kind})")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise WebError(f"{url}: the page is {_size(int(length))}, more than the {_size(max_bytes)} limit")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise WebError(f"{url}: cannot fetch the page (no complete answer within {timeout:g} s)")
                chunk = response.read1(_CHUNK)  # what has arrived, so the deadline is checked as it trickles in
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise WebError(f"{url}: the page is larger than the {_size(max_bytes)} limit")
                chunks.append(chunk)
    except WebError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the connection
        raise WebError(f"{url}: cannot fetch the page (HTTP {exc.code} {exc.reason})") from None
    except urllib.error.URLError as exc:
        raise WebError(f"{url}: cannot fetch the page ({_reason(exc.reason, timeout)})") from None
    except (TimeoutError, socket.timeout):
        raise WebError(f"{url}: cannot fetch the page (no answer within {timeout:g} s)") from None
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise WebError(f"{url}: cannot fetch the page ({_reason(exc, timeout)})") from None
    data = b"".join(chunks)
    if not kind and not looks_like_html(data):
        raise WebError(f"{url}: not a web page (no content type, and the body is not HTML)")
    return data, final, charset


def read_page(data: bytes | str, *, url: str = "", name: str = "page", fetched: bool = False) -> WebArticle:
    """The article in an HTML page (bytes, their encoding found from the page; or text); ``url`` is where it came
    from ("" for a file).

    ``fetched`` says ``url`` is the address really fetched: it is kept as the
    source URL unless the page names a canonical URL on the same host.  For a
    file, the page's own canonical URL (http or https) is the source URL.
    Raises WebError for a page that is not HTML or has no article text.
    """
    import trafilatura
    from htmldate import find_date

    tree = trafilatura.load_html(data)
    if tree is None:
        raise WebError(f"{name}: not an HTML page")
    canonical = _canonical(tree)
    day_text = find_date(tree, extensive_search=False, original_date=True, url=url or canonical or None)
    published = _dt.date.fromisoformat(day_text) if day_text else None
    how = _date_source(tree, day_text, url or canonical) if day_text else ""
    document = trafilatura.bare_extraction(
        tree, url=url or None, with_metadata=True, include_comments=False, include_tables=False, deduplicate=False
    )
    text = _paragraphs(document.text if document is not None else "")
    if not _has_prose(text):
        raise WebError(f"{name}: no article text found in the page (is it an article, not an index or a login page?)")
    address = _source_url(url, canonical, fetched)
    site = (document.sitename or "").strip() or _host(address)
    return WebArticle(
        text=text,
        title=" ".join((document.title or "").split()),
        site=site,
        url=address,
        published=published,
        published_how=how,
        location=url or name,
    )


def read_file(path: str | os.PathLike, *, max_bytes: int = MAX_PAGE_BYTES) -> WebArticle:
    """The article in a saved HTML file (the same size limit as a fetched page)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise WebError(f"{path}: the page is {_size(size)}, more than the {_size(max_bytes)} limit")
        data = path.read_bytes()
    except OSError as exc:
        raise WebError(f"{path}: cannot read the page ({exc.strerror or exc})") from None
    return read_page(data, name=str(path))


def fetch_article(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_PAGE_BYTES) -> WebArticle:
    """Fetch a news page and read its article (see ``fetch_page`` and ``read_page``)."""
    data, final, charset = fetch_page(url, timeout=timeout, max_bytes=max_bytes)
    try:  # the charset the server names comes first (as in browsers), before the page's own <meta charset>
        content = data.decode(charset) if charset else data
    except (LookupError, UnicodeDecodeError):
        content = data
    page = read_page(content, url=final, name=url, fetched=True)
    return WebArticle(**{**page.__dict__, "location": url})


def load_article(location: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_PAGE_BYTES) -> WebArticle:
    """An article from a URL (fetched) or a saved HTML file's path."""
    if is_url(location):
        return fetch_article(location, timeout=timeout, max_bytes=max_bytes)
    return read_file(location, max_bytes=max_bytes)


# ------------------------------------------------------------------ helpers


@functools.cache
def _redirect_handler():
    """A urllib redirect handler that follows http(s) targets only (built on first use: urllib loads lazily)."""
    import urllib.error
    import urllib.request

    class HttpRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if urlsplit(newurl).scheme.lower() not in ("http", "https"):
                fp.close()
                raise urllib.error.URLError(f"redirected to {newurl!r}, which is not an http(s) address")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return HttpRedirects


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MiB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KiB"


def _reason(reason, timeout: float) -> str:
    import socket

    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "no such host"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or reason.__class__.__name__


def _paragraphs(text: str) -> str:
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    return "\n\n".join(line for line in lines if line)


def _has_prose(text: str) -> bool:
    """True if some paragraph reads as prose: ``PROSE_WORDS`` words or more, ending like a sentence.

    Menus, headlines and lists of links (what is left of an index page) do not.
    """
    return any(
        len(paragraph.split()) >= PROSE_WORDS and paragraph.rstrip()[-1:] in ".!?\"\u201d\u2019')"
        for paragraph in text.split("\n\n")
    )


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host[4:] if host.startswith("www.") else host


def _canonical(tree) -> str:
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        for value in tree.xpath(xpath):
            value = str(value).strip()
            if re.match(r"^https?://[^\s/]", value, re.IGNORECASE):
                return value
    return ""


def _source_url(url: str, canonical: str, fetched: bool) -> str:
    if fetched and url:
        same_host = canonical and _host(canonical) == _host(url)
        return canonical if same_host else url
    return canonical or url


def _date_source(tree, day: str, url: str) -> str:
    """Where in the page the date htmldate chose is written, in words."""
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for key in ("datePublished", "dateCreated"):
            if any(str(value).startswith(day) for value in _json_values(data, key)):
                return f"the page's JSON-LD {key}"
    for element in tree.xpath("//meta[@content]"):
        label = next((element.get(a) for a in ("property", "name", "itemprop") if element.get(a)), "")
        if label.lower() in _META_NAMES and element.get("content", "").strip().startswith(day):
            return f'the page\'s <meta {"property" if element.get("property") else "name"}="{label}"> tag'
    for element in tree.xpath("//time[@datetime]"):
        if element.get("datetime", "").strip().startswith(day):
            return "a <time datetime> element"
    if url and (day.replace("-", "/") in url or day in url or day.replace("-", "") in url):
        return "the page's URL"
    return "the page's markup (htmldate)"


def _json_values(data, key):
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key and isinstance(value, (str, int)):
                yield value
            else:
                yield from _json_values(value, key)
    elif isinstance(data, list):
        for value in data:
            yield from _json_values(value, key)
