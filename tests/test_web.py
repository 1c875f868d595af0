"""Articles from the web: ``timeline extract`` on URLs, saved pages and lists of URLs (timeline.web).

The pages are news-page shaped fixtures written for these tests (tests/data/web: navigation, ads, related
links, reader comments, a JSON-LD ``datePublished``, a ``<time>`` element, a ``<meta>`` date), served from a
local HTTP server on 127.0.0.1.  A guard fails any test that tries to connect anywhere else.
"""

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

import timeline
from timeline import web
from timeline.cli import cli

PAGES = Path(__file__).resolve().parent / "data" / "web"
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
LIMIT = web.MAX_PAGE_BYTES


class Pages(SimpleHTTPRequestHandler):
    """The fixture pages, plus routes that misbehave on purpose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(PAGES), **kwargs)

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("User-Agent")))
        route = self.path.split("?")[0]
        try:
            if route == "/moved":
                self._status(302, Location="/kyiv-prisoner-swap.html")
            elif route == "/moved-to-a-file":
                self._status(302, Location="file:///etc/passwd")
            elif route == "/moved-to-ftp":
                self._status(302, Location="ftp://127.0.0.1/article.html")
            elif route == "/latin-1.html":  # the server's charset is right, the page's <meta> wrong
                page = (
                    (PAGES / "accra-summit.html")
                    .read_text(encoding="utf-8")
                    .replace("ACCRA", "ACCRA (Z\u00fcrich desk)")
                )
                body = page.replace("<head>", '<head><meta charset="utf-8">').encode("latin-1", errors="replace")
                self._status(200, body=body, **{"Content-Type": "text/html; charset=iso-8859-1"})
            elif route == "/report.pdf":
                self._status(200, body=b"%PDF-1.4 not a web page", **{"Content-Type": "application/pdf"})
            elif route == "/declared-too-big.html":
                self._status(200, **{"Content-Type": "text/html", "Content-Length": str(LIMIT + 1)})
            elif route == "/streamed-too-big.html":
                self._status(200, **{"Content-Type": "text/html; charset=utf-8"})
                paragraph = b"<p>" + b"word " * 2000 + b"</p>\n"
                for _ in range(LIMIT // len(paragraph) + 2):
                    self.wfile.write(paragraph)
            elif route == "/slow.html":
                self._status(200, **{"Content-Type": "text/html"})
                for _ in range(40):
                    self.wfile.write(b"<p>still coming</p>\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            else:
                super().do_GET()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            pass

    def _status(self, code, body=b"", **headers):
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    httpd.daemon_threads = True
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def site(server):
    """The base address of the local server: http://127.0.0.1:PORT."""
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(autouse=True)
def only_this_machine(monkeypatch):
    """Fail a test that connects anywhere but 127.0.0.1: nothing reaches the internet."""
    connect = socket.socket.connect

    def guarded(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1"):
            raise AssertionError(f"a test tried to connect to {address!r}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def run(*args, input=None):
    return CliRunner().invoke(cli, ["extract", *map(str, args)], input=input)


def one_line_error(result, start):
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {start}"), result.stderr
    return lines[0]


# ------------------------------------------------------------------ the acceptance case


def test_a_url_gives_the_articles_events_with_source_fields_from_the_page(site, seed_store):
    url = f"{site}/kyiv-prisoner-swap.html"
    result = run(url, "--format", "json", "--store", seed_store)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) >= 5
    assert {row["source_url"] for row in rows} == {url}  # the address fetched (the canonical URL is elsewhere)
    assert {row["source_date"] for row in rows} == {"2014-12-29"}  # JSON-LD datePublished, not dateModified
    assert {row["source"] for row in rows} == {"Eastern Wire"}  # og:site_name
    assert "Published 2014-12-29 (from the page's JSON-LD datePublished)" in result.stderr
    exchange = [row for row in rows if "prisoner exchange" in row["summary"]]
    assert exchange and exchange[0]["date"] == "2014-12-27"  # "on Saturday", against the page's date
    text = json.dumps(rows)
    for boilerplate in ("Yanukovych", "Belarus", "Winter sale", "Heating oil", "NATO", "Gazprom", "reader1984"):
        assert boilerplate not in text  # comments, ads and related links are not the article


def test_the_page_gives_the_same_events_as_its_article_text_alone(site, seed_store, tmp_path):
    def events(args):
        result = run(*args, "--format", "json", "--store", seed_store)
        assert result.exit_code == 0, result.output
        return sorted((row["actor"], row["date"], row["kind"]) for row in json.loads(result.stdout))

    from timeline import web

    text = tmp_path / "article.txt"  # what trafilatura takes from the page, as a plain-text article
    text.write_text(web.read_file(str(PAGES / "kyiv-prisoner-swap.html")).text, encoding="utf-8")
    from_page = events([f"{site}/kyiv-prisoner-swap.html"])
    assert from_page == events([text, "--published", "2014-12-29"])
    assert from_page  # and the page has events at all


def test_a_page_with_no_date_asks_for_published(site, seed_store):
    url = f"{site}/no-date.html"
    before = seed_store.read_bytes()
    error = one_line_error(run(url, "--append", "--store", seed_store), url)
    assert error.endswith(
        "the page gives no publication date (none in its markup, no date line in its text); pass --published DATE"
    )
    assert seed_store.read_bytes() == before
    result = run(url, "--published", "2022-01-04", "--format", "json", "--store", seed_store)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {(row["source"], row["source_url"], row["source_date"]) for row in rows} == {
        ("Sahel Desk", url, "2022-01-04")
    }
    assert not any("Goita resigned" in row["summary"] for row in rows)  # a reader comment


def test_append_works_the_same_for_urls(site, seed_store):
    url = f"{site}/tripoli-airport.html"
    first = run(url, "--append", "--store", seed_store)
    assert first.exit_code == 0, first.output
    count = first.stderr.strip().splitlines()[-1]
    assert count.endswith(" skipped as duplicates") and ", 0 added," not in count
    stored = [line for line in seed_store.read_text(encoding="utf-8").splitlines() if url in line]
    assert stored and all(",2019-04-08," in line for line in stored)  # source_url and source_date filled
    second = run(url, "--append", "--store", seed_store)
    assert second.exit_code == 0 and ", 0 added," in second.stderr
    assert CliRunner().invoke(cli, ["validate", "--store", str(seed_store)]).exit_code == 0


def test_a_redirect_gives_the_address_really_read(site, seed_store):
    result = run(f"{site}/moved", "--format", "json", "--store", seed_store)
    assert result.exit_code == 0, result.output
    assert {row["source_url"] for row in json.loads(result.stdout)} == {f"{site}/kyiv-prisoner-swap.html"}


def test_the_servers_charset_comes_before_the_pages_own(site):
    page = web.fetch_article(f"{site}/latin-1.html")
    assert "ACCRA (Z\u00fcrich desk)" in page.text


def test_fetching_sends_a_plain_user_agent(site, server):
    web.fetch_page(f"{site}/accra-summit.html")
    path, agent = server.seen[-1]
    assert path == "/accra-summit.html" and agent == web.USER_AGENT
    assert agent.startswith("timeline-news/") and "Mozilla" not in agent


# ------------------------------------------------------------------ failures: one line, exit 1, store untouched


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FAILURES = [
    ("/missing.html", "cannot fetch the page (HTTP 404 File not found)"),
    ("/report.pdf", "not a web page (the server sent application/pdf)"),
    ("/section-index.html", "no article text found in the page"),
    ("/declared-too-big.html", "the page is 10.0 MiB, more than the 10.0 MiB limit"),
    ("/streamed-too-big.html", "the page is larger than the 10.0 MiB limit"),
    (
        "/moved-to-ftp",
        "cannot fetch the page (redirected to 'ftp://127.0.0.1/article.html', which is not an http(s) address)",
    ),
    (
        "/moved-to-a-file",
        "cannot fetch the page (HTTP 302 Found - Redirection to url 'file:///etc/passwd' is not allowed)",
    ),
]


@pytest.mark.parametrize("path, message", FAILURES, ids=[p for p, _ in FAILURES])
def test_a_page_that_cannot_be_used_is_a_one_line_error(site, seed_store, path, message):
    before = seed_store.read_bytes()
    error = one_line_error(run(f"{site}{path}", "--append", "--store", seed_store), f"{site}{path}: ")
    assert message in error
    assert seed_store.read_bytes() == before


def test_an_unreachable_server_is_a_one_line_error(seed_store):
    url = f"http://127.0.0.1:{closed_port()}/article.html"
    assert "cannot fetch the page (Connection refused)" in one_line_error(run(url, "--store", seed_store), url)


def test_fetching_gives_up_after_the_timeout_for_the_whole_page(site):
    started = time.monotonic()
    with pytest.raises(web.WebError, match=r"slow.html: cannot fetch the page \(no complete answer within 0.5 s\)"):
        web.fetch_page(f"{site}/slow.html", timeout=0.5)
    assert time.monotonic() - started < 3  # the server would trickle on for 4 s


def test_only_http_addresses_are_fetched(seed_store):
    assert "only http and https addresses can be fetched" in one_line_error(
        run("ftp://127.0.0.1/article.html", "--store", seed_store), "ftp://127.0.0.1/article.html: "
    )


def test_a_saved_page_larger_than_the_limit_is_an_error(tmp_path, seed_store):
    page = tmp_path / "huge.html"
    page.write_bytes(b"<html><body>" + b"<p>word word word.</p>" * (LIMIT // 20) + b"</body></html>")
    assert "more than the 10.0 MiB limit" in one_line_error(run(page, "--store", seed_store), f"{page}: ")


# ------------------------------------------------------------------ saved pages and stdin


# (fixture, publication date, where htmldate found it)
DATES = [
    ("kyiv-prisoner-swap.html", "2014-12-29", "the page's JSON-LD datePublished"),
    ("tripoli-airport.html", "2019-04-08", 'the page\'s <meta property="article:published_time"> tag'),
    ("accra-summit.html", "2022-01-10", "a <time datetime> element"),
    ("no-date.html", None, ""),
]


@pytest.mark.parametrize("name, day, how", DATES, ids=[d[0] for d in DATES])
def test_the_publication_date_and_where_it_was_found(name, day, how):
    page = web.read_file(PAGES / name)
    assert (page.published and page.published.isoformat(), page.published_how) == (day, how)


def test_a_saved_page_takes_its_canonical_url_and_site_name(seed_store):
    result = run(PAGES / "kyiv-prisoner-swap.html", "--format", "json", "--store", seed_store)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {(row["source"], row["source_url"], row["source_date"]) for row in rows} == {
        ("Eastern Wire", "https://eastern-wire.example/world/2014/12/29/ukraine-rebels-swap-prisoners", "2014-12-29")
    }


def test_html_on_stdin_is_read_as_a_page_and_options_win(seed_store):
    html = (PAGES / "accra-summit.html").read_text(encoding="utf-8")
    result = run(
        "-",
        "--published",
        "2022-01-11",
        "--source",
        "Accra Post",
        "--url",
        "https://accra.example/a",
        "--format",
        "json",
        "--store",
        seed_store,
        input=html,
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {(row["source"], row["source_url"], row["source_date"]) for row in rows} == {
        ("Accra Post", "https://accra.example/a", "2022-01-11")
    }
    assert "Note: the page says 2022-01-10 (from a <time datetime> element); using --published" in result.stderr


# ------------------------------------------------------------------ --urls FILE


def test_a_list_of_urls_goes_on_past_a_failure_and_sums_up(site, seed_store, tmp_path):
    listing = tmp_path / "reading-list.txt"
    listing.write_text(
        f"# Ukraine and Libya\n{site}/kyiv-prisoner-swap.html\n\n{site}/missing.html\n"
        f"{PAGES / 'tripoli-airport.html'}\n{site}/no-date.html\n",
        encoding="utf-8",
    )
    result = run("--urls", listing, "--append", "--format", "json", "--store", seed_store)
    assert result.exit_code == 1  # some failed; the others are still read and added
    rows = json.loads(result.stdout)
    assert {row["source_date"] for row in rows} == {"2014-12-29", "2019-04-08"}
    lines = result.stderr.splitlines()
    assert f"[2/4] {site}/missing.html: failed: cannot fetch the page (HTTP 404 File not found)" in lines
    assert any(
        line.startswith(f"[4/4] {site}/no-date.html: failed: the page gives no publication date") for line in lines
    )
    stored = timeline.load(seed_store).events()
    assert stored["source_date"].isin(["2014-12-29", "2019-04-08"]).sum() == len(rows)
    assert lines[-2] == (
        f"4 articles: 2 read, 2 failed; {len(rows)} candidates, {len(rows)} added, 0 skipped as duplicates"
    )
    assert lines[-1] == f"Failed: {site}/missing.html, {site}/no-date.html"


def test_a_list_that_all_works_exits_0(site, seed_store):
    result = run("--urls", "-", "--store", seed_store, input=f"{site}/accra-summit.html\n{site}/moved\n")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1].startswith("2 articles: 2 read, 0 failed; ")


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "give one ARTICLE, or --urls FILE"),
        ([PAGES / "no-date.html", "--urls", "-"], "give one ARTICLE, or --urls FILE"),
        (["--urls", "-", "--url", "https://a.example/"], "--url names one article's address"),
    ],
)
def test_article_or_urls_but_not_both(seed_store, args, message):
    result = run(*args, "--store", seed_store, input="")
    assert result.exit_code == 2 and message in result.output


def test_an_empty_list_is_an_error(seed_store):
    one_line_error(run("--urls", "-", "--store", seed_store, input="# nothing yet\n\n"), "-: lists no articles")


# ------------------------------------------------------------------ staying light


def test_help_and_the_web_module_load_no_extraction_library():
    code = (
        "import sys, timeline.web\nfrom timeline.cli import cli\ntry:\n    cli(['extract', '--help'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('click', 'trafilatura', 'htmldate', 'lxml') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr.strip() == "['click']"  # the CLI's own; timeline.web alone imports none
    bare = subprocess.run(
        [sys.executable, "-c", "import sys, timeline.web; print('click' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert bare.stdout.strip() == "False"
