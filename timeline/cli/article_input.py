"""Articles for ``timeline extract``: text files, saved web pages and URLs, one at a time or listed in a file.

``article_text`` turns the ARTICLE argument into its text and, for a web page,
what the page says (timeline.web); ``extract_one`` extracts one article, the
page filling source, source URL and publication date; ``extract_list`` is
``--urls FILE``: every listed article on its own, progress on a terminal, a
summary at the end.
"""

from __future__ import annotations

import sys

import click


def _say(message: str) -> None:
    click.echo(message, err=True)


def article_text(article: str):
    """The article's text and, for a web page (a URL, a saved .html file, HTML on stdin), what the page says.

    Returns ``(text, page)``; ``page`` is a timeline.web.WebArticle, or None for plain text.
    """
    from timeline import web
    from timeline.extract import read_article

    if web.is_url(article):
        page = web.fetch_article(article)
    elif article != "-" and article.lower().endswith(web.HTML_SUFFIXES):
        page = web.read_file(article)
    else:
        data = sys.stdin.buffer.read() if article == "-" else _read(article)
        name = "stdin" if article == "-" else article
        if not web.looks_like_html(data):
            return read_article(data, name), None
        if len(data) > web.MAX_PAGE_BYTES:
            raise web.WebError(f"{name}: the page is more than the {web.MAX_PAGE_BYTES // 2**20} MiB limit")
        page = web.read_page(data, name=name)
    return page.text, page


def extract_one(article, published, source, url, registry, say=None, *, undated: bool = False):
    """Read one article and extract its candidates; a web page fills source, URL and publication date.

    What the page gave is said (``say``, default stderr) once the article is read, so a page that
    fails gives its one-line error alone.
    """
    from timeline.extract import ExtractError
    from timeline.extract import extract as extract_article

    text, page = article_text(article)
    notes = []
    if page is not None:
        notes.append(
            f"{page.location}: {page.title or '(no title)'} ({page.site or 'no site name'}), {page.words} words"
        )
        source = source or page.site
        url = url or page.url
        if published is None and page.published is not None:
            published = page.published
            notes.append(f"Published {published.isoformat()} (from {page.published_how})")
        elif published is not None and page.published not in (None, published):
            notes.append(
                f"Note: the page says {page.published.isoformat()} (from {page.published_how}); using --published"
            )
    result = extract_article(text, published=published, registry=registry, source=source, url=url, undated=undated)
    if page is not None and published is None:
        if result.published is None:
            raise ExtractError(
                f"{page.location}: the page gives no publication date (none in its markup, no date "
                "line in its text); pass --published DATE"
            )
        notes.append(
            f"Published {result.published.isoformat()} (from the article's date line {result.published_text!r})"
        )
    for note in notes:
        (say or _say)(note)
    return result


def extract_list(urls_file, published, source, fmt, append, store, registry, *, undated: bool = False) -> None:
    """``--urls FILE``: every article the file lists, each on its own; a summary at the end, exit 1 if any failed."""
    from timeline.errors import TimelineError
    from timeline.extract import OUTPUT_COLUMNS, append_candidates
    from timeline.formats import write_rows

    locations = _listed(urls_file)
    tty = sys.stderr.isatty()
    rows, failed, added, skipped_count = [], [], 0, 0
    for number, location in enumerate(locations, start=1):
        mark = f"[{number}/{len(locations)}]"
        if tty:
            sys.stderr.write(f"\r\033[K{mark} reading {location} ...")
            sys.stderr.flush()

        def say(message, mark=mark):
            if tty:
                sys.stderr.write("\r\033[K")
            click.echo(f"{mark} {message}", err=True)

        try:
            result = extract_one(location, published, source, None, registry, say, undated=undated)
            found = [candidate.row() for candidate in result.candidates]
            outcome = f"{len(found)} candidates"
            if append:
                written, skipped = append_candidates(store, result.candidates, registry)
                added, skipped_count = added + len(written), skipped_count + len(skipped)
                outcome += f", {len(written)} added, {len(skipped)} skipped as duplicates"
        except (TimelineError, OSError) as exc:
            failed.append(location)
            message = str(exc).removeprefix(f"{location}: ")
            say(f"{location}: failed: {message}")
            continue
        rows.extend(found)
        for warning in result.warnings:
            say(f"Warning: {warning}")
        say(f"{location}: {outcome}")
    write_rows(rows, list(OUTPUT_COLUMNS), sys.stdout, fmt)
    read = len(locations) - len(failed)
    summary = f"{len(locations)} articles: {read} read, {len(failed)} failed; {len(rows)} candidates"
    if append:
        summary += f", {added} added, {skipped_count} skipped as duplicates"
    click.echo(summary, err=True)
    if failed:
        click.echo("Failed: " + ", ".join(failed), err=True)
        sys.exit(1)


def _listed(urls_file: str) -> list[str]:
    """The articles a --urls file lists: one a line; blank lines and lines starting with # are skipped."""
    from timeline.extract import ExtractError

    if urls_file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(urls_file, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise ExtractError(f"{urls_file}: cannot read the list of articles ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
        raise ExtractError(f"{urls_file}: not UTF-8 text ({where})") from None
    locations = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not locations:
        raise ExtractError(f"{urls_file}: lists no articles (one URL or file path a line)")
    return locations


def _read(path: str) -> bytes:
    from timeline.extract import ExtractError

    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read the article ({exc.strerror})") from None
