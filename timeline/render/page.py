"""The timeline page: one self-contained HTML file built around a timeline figure.

The page is ``static/page.html`` filled in with the figure's layout, the events
it carries (``layout.meta["timeline"]``, see ``payload``), ``static/page.css``,
the vendored plotly.js partial bundle and ``static/chart.js`` + ``static/page.js``,
which draw the events.  Its Content-Security-Policy allows only those scripts
(by hash), no connection, no form and no frame: the page never sends anything
anywhere; the only way out is a source link in a card, which the reader clicks.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from timeline.errors import OutputError, UsageError

PLOTLYJS = ("inline", "cdn")
BUNDLE = "vendor/plotly-cartesian.min.js"  # scripts/vendor-plotlyjs.sh refreshes it
SCRIPTS = ("static/chart.js", "static/page.js")
# The toolbar: zoom, pan, zoom in/out, reset and save as PNG.  No "Share chart" (plotly.js 4 shows it by
# default and would upload the chart to Plotly's cloud), no "Edit in Chart Studio", no logo link.
MODEBAR = ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d", "toImage"]
CONFIG = {
    "responsive": False, "displaylogo": False, "showSendToCloud": False, "showEditInChartStudio": False,
    "showLink": False, "plotlyServerURL": "", "showTips": False, "scrollZoom": False, "doubleClick": "reset",
    "modeBarButtons": [MODEBAR], "displayModeBar": True,
    "toImageButtonOptions": {"filename": "timeline", "scale": 2},
}


@dataclass
class RenderResult:
    """What ``EventStore.render`` wrote: the page, how many events it holds, the text columns it left out,
    how many characters of each summary it kept when whole summaries did not fit (0: whole), and whether
    it shows counts per lane and day instead of the events (more than max_events matched)."""

    path: Path
    events: int
    left_out: list[str] = field(default_factory=list)
    summary_chars: int = 0
    counts: bool = False


@lru_cache(maxsize=None)
def _resource(name: str) -> str:
    return files("timeline.render").joinpath(name).read_text(encoding="utf-8")


def _script(plotlyjs: str) -> str:
    return "(function () {\n'use strict';\n" + "\n".join(_resource(name) for name in SCRIPTS) + "\n})();\n"


def fixed_bytes(plotlyjs: str = "inline") -> int:
    """Bytes of every page before its events: template, style, scripts (and plotly.js when inline)."""
    parts = [_resource("static/page.html"), _resource("static/page.css"), _script(plotlyjs)]
    if plotlyjs == "inline":
        parts.append(_resource(BUNDLE))
    return sum(len(part.encode("utf-8")) for part in parts)


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _json_for_script(value) -> str:
    """JSON to sit inside a <script type="application/json">: no '<', '>' or '&' that HTML could read."""
    from plotly.io.json import to_json_plotly

    text = to_json_plotly(value)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                       ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def page_layout(fig) -> dict:
    """The figure's layout as the page's script starts from: axis and style, no title, legend, lanes or size."""
    layout = fig.layout.to_plotly_json()
    for key in ("meta", "title", "legend", "legend2", "shapes", "annotations", "yaxis", "height", "width", "margin"):
        layout.pop(key, None)
    xaxis = dict(layout.get("xaxis", {}))
    xaxis.pop("rangeselector", None)
    xaxis.pop("rangeslider", None)
    layout["xaxis"] = xaxis
    return layout


def page_html(fig, *, plotlyjs: str = "inline") -> str:
    """A whole HTML page for a timeline figure (made by ``timeline_figure``)."""
    if plotlyjs not in PLOTLYJS:
        raise UsageError(f"plotlyjs={plotlyjs!r} is not one of: {', '.join(PLOTLYJS)}")
    meta = fig.layout.meta or {}
    data = meta.get("timeline") if isinstance(meta, dict) else None
    if not data:
        raise UsageError("not a timeline figure (make it with timeline_figure)")
    script = _script(plotlyjs)
    if plotlyjs == "inline":
        bundle = _resource(BUNDLE)
        plotly_tag, sources = f"<script>{bundle}</script>", f"{_hash(bundle)} {_hash(script)}"
    else:
        from plotly.offline import get_plotlyjs_version

        url = f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
        plotly_tag = f'<script src="{url}" charset="utf-8"></script>'
        sources = f"{url} {_hash(script)}"
    policy = (f"default-src 'none'; script-src {sources}; style-src 'unsafe-inline'; img-src data: blob:; "
              "font-src data:; connect-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; "
              "form-action 'none'")
    heading = data["title"] or data["summary"]
    subtitle = f"{data['summary']} · {data['note']}" if data["title"] else data["note"]
    fills = {
        "policy": html.escape(policy), "title": html.escape(meta.get("page_title") or heading),
        "heading": html.escape(heading), "subtitle": html.escape(subtitle), "css": _resource("static/page.css"),
        "figure": _json_for_script({"layout": page_layout(fig), "config": CONFIG}),
        "data": _json_for_script(data), "plotly": plotly_tag, "script": script,
    }
    # One pass over the template, so that no text filled in is ever read as a slot.
    return re.sub(r"\{\{(\w+)\}\}", lambda match: fills[match.group(1)], _resource("static/page.html"))


def write_html(fig, path, *, plotlyjs: str = "inline") -> Path:
    """Write a timeline figure as a whole HTML page, atomically; return the path."""
    from timeline.store import atomic_write

    path = Path(path)
    text = page_html(fig, plotlyjs=plotlyjs)
    existed = path.exists()
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the page ({exc.strerror or exc})") from None
    if not existed:  # a page to share: readable like any new file, not 0600 like atomic_write's temp file
        mask = os.umask(0)
        os.umask(mask)
        path.chmod(0o666 & ~mask)
    return path
