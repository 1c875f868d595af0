/* The chart of a timeline page: lanes in groups, events drawn one by one (markers, spans, labels) or,
   when the view holds more than the detail limit, counts per lane and period.  Everything is drawn
   from the page data (payload.py) by draw(), again after every zoom, pan, filter, search or collapse.
   Text from the data reaches Plotly only through plotlyText() and the DOM only through textContent. */

var DAY = 864e5;
var MIN_MS = -62135596800000;  // 0001-01-01
var MAX_MS = 253402300799999;  // 9999-12-31 23:59:59.999, the last moment Plotly's date axis takes
// From the page data (figure.py's ROW_PX, MAX_ROWS, LABEL_PX, _MIN_LABEL_PX, SYMBOLS), set by start():
var ROW = 24;                  // px per row of a lane
var MAX_ROWS = 5;              // rows per lane before events share one
var LABEL_PX = 180;            // the widest a label may make its event's room in a row
var MIN_LABEL = 40;            // px an event needs before the next one for a label of its own
var SYMBOLS = {};              // marker symbol per kind; any other kind: square
var WIDTHS = [1, 7, 14, 30, 91, 182, 365];
var MAX_BINS = 240;
var INK = '#222222', MUTED = '#666666', DIM = '#c4c8ce', BAND = '#f2f4f7', HEADING = '#e4e8ee';

function clampMs(ms) { return Math.min(Math.max(ms, MIN_MS), MAX_MS); }

function iso(ms) {  // a date string Plotly reads, for years 1 to 9999
  return new Date(clampMs(ms)).toISOString().slice(0, 23).replace('T', ' ');
}

function plotlyText(text) {  // Plotly reads <b>, <br>, <a> and entities in text: escape them
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

var measurer = null;
function textWidth(text) {
  if (!measurer) {
    measurer = document.createElement('canvas').getContext('2d');
    measurer.font = '11px Arial, Helvetica, sans-serif';
  }
  return measurer.measureText(text).width;
}

function cutToWidth(text, room) {  // the longest start of text (with an ellipsis) that fits in room px
  if (textWidth(text) <= room) { return text; }
  var lo = 0, hi = text.length;
  while (lo < hi) {
    var mid = (lo + hi + 1) >> 1;
    if (textWidth(text.slice(0, mid).trimEnd() + '…') <= room) { lo = mid; } else { hi = mid - 1; }
  }
  return lo ? text.slice(0, lo).trimEnd() + '…' : '';
}

/* ---------------------------------------------------------------- the view and the events in it */

function viewRange(T) {
  var axis = T.gd._fullLayout && T.gd._fullLayout.xaxis;
  if (axis && axis.range) { return [axis.r2l(axis.range[0]), axis.r2l(axis.range[1])]; }
  return T.view.slice();
}

function extentMs(T, i) {  // [first moment, moment after the last] of an event; open ends at the axis edges
  var D = T.D, f = D.flags[i];
  var x0 = (f & 1) ? D.rangeMs[0] : D.start[i] * DAY;
  var x1 = (f & 2) ? D.rangeMs[1] : (D.end[i] + 1) * DAY;
  return [x0, x1];
}

function isPoint(D, i) { return !(D.flags[i] & 16) && D.precision[i] === 0; }
function isExact(D, i) { return D.precision[i] === 0 && !(D.flags[i] & 12); }

function inView(T, i, v0, v1) {
  var e = extentMs(T, i);
  return e[1] > v0 && e[0] < v1;
}

function shownEvents(T) {  // events that pass the filters and whose lane is not collapsed, in time order
  var out = [], D = T.D, S = T.S;
  for (var i = 0; i < D.n; i++) {
    if (S.pass[i] && !S.collapsed.has(D.laneGroup[D.lane[i]])) { out.push(i); }
  }
  return out;
}

/* ---------------------------------------------------------------- lanes, groups and rows */

function layOutRows(T, rowsPerLane) {
  // Rows from the top: a heading per group (when there are groups), then each shown lane's rows.
  var D = T.D, S = T.S, rows = [], laneTop = new Int32Array(D.lanes.length).fill(-1);
  var grouped = !!D.meta.grouped_by;
  D.groups.forEach(function (group, g) {
    var lanes = group.lanes.filter(function (l) { return S.laneCount[l] > 0; });
    if (!lanes.length) { return; }
    if (grouped) {
      var events = lanes.reduce(function (sum, l) { return sum + S.laneCount[l]; }, 0);
      rows.push({group: g, lanes: lanes.length, events: events});
    }
    if (S.collapsed.has(g)) { return; }
    lanes.forEach(function (l) {
      laneTop[l] = rows.length;
      for (var r = 0; r < rowsPerLane[l]; r++) { rows.push({lane: l, row: r, rows: rowsPerLane[l]}); }
    });
  });
  return {rows: rows, laneTop: laneTop};
}

function packRows(T, drawn, x0p, x1p) {
  // Greedy interval packing in px, an event's box including its label, as vis-timeline stacks items.
  var D = T.D, rowOf = new Int32Array(drawn.length), ends = new Map();
  var order = drawn.map(function (_, k) { return k; }).sort(function (a, b) { return x0p[a] - x0p[b]; });
  var perLane = new Int32Array(D.lanes.length).fill(1);
  order.forEach(function (k) {
    var lane = D.lane[drawn[k]], here = ends.get(lane);
    if (!here) { here = []; ends.set(lane, here); }
    var free = here.findIndex(function (end) { return end <= x0p[k] - 6; });
    if (free < 0 && here.length < MAX_ROWS) { free = here.length; here.push(0); }
    if (free < 0) { free = here.indexOf(Math.min.apply(null, here)); }
    here[free] = Math.max(here[free], x1p[k]);
    rowOf[k] = free;
    perLane[lane] = Math.max(perLane[lane], here.length);
  });
  return {rowOf: rowOf, perLane: perLane};
}

function labelWidth(T, i) {
  var cache = T.labelWidths;
  if (isNaN(cache[i])) { cache[i] = textWidth(T.D.text('summary', i)); }
  return Math.min(cache[i], T.size.labelPx);
}

/* ---------------------------------------------------------------- labels */

function fitLabels(T, drawn, x0p, x1p, ys) {
  // Each event's summary, cut to the room before the next event in its row (or, where there is more
  // room before it, after the previous one: the label goes on its left).  Events closer than MIN_LABEL
  // to the one before form a crowd (at most 4 * MIN_LABEL wide) whose first summary ends in "+N", N
  // being the others, and never covers one of their markers.  Returns [k, text, x px, 'right'|'left'].
  var byRow = new Map(), out = [], width = T.size.plotW;
  drawn.forEach(function (i, k) {
    if (x1p[k] < 0 || x0p[k] > width) { return; }
    var list = byRow.get(ys[k]);
    if (!list) { list = []; byRow.set(ys[k], list); }
    list.push(k);
  });
  byRow.forEach(function (list) {
    var at = function (n) { return Math.max(x0p[list[n]], 0); }, taken = 0;
    list.sort(function (a, b) { return Math.max(x0p[a], 0) - Math.max(x0p[b], 0); });
    for (var n = 0; n < list.length;) {
      var k = list[n], first = at(n), m = n + 1;
      while (m < list.length && at(m) - at(m - 1) < MIN_LABEL && at(m) - first < 4 * MIN_LABEL) { m++; }
      var last = at(m - 1), hidden = m - n - 1, more = hidden ? ' +' + hidden : '';
      var summary = T.D.text('summary', drawn[k]), extra = more ? textWidth(more) : 0;
      var right = (m < list.length ? at(m) : width) - last - 24, left = first - taken - 24;
      var side = right >= Math.min(textWidth(summary) + extra, 120) || right >= left ? 'right' : 'left';
      var text = cutToWidth(summary, (side === 'right' ? right : left) - extra);
      if (text || more) {
        text = (text + more).trim();
        out.push([k, text, side === 'right' ? last : first, side]);
        taken = side === 'right' ? last + 12 + textWidth(text) : last + 8;
      } else {
        taken = last + 8;
      }
      n = m;
    }
  });
  return out;
}

/* ---------------------------------------------------------------- traces: single events */

function detailTraces(T, drawn, ys, x0s, x1s, labels) {
  // One trace of bars (spans) and one of markers (points, span starts, open ends) for every colour:
  // fewer traces draw faster than one per colour, and the key is the page's own.
  var D = T.D, S = T.S, v = T.view, edge = (v[1] - v[0]) * 0.006;
  var dim = S.matches ? S.matchSet : null;
  var bars = {type: 'bar', orientation: 'h', name: 'spans', x: [], base: [], y: [], customdata: [],
              width: 0.56, hoverinfo: 'none', showlegend: false,
              marker: {color: [], opacity: [], line: {width: 0},
                       pattern: {shape: [], fillmode: 'overlay', fgcolor: '#ffffff', size: 7, solidity: 0.35}}};
  var marks = {type: 'scatter', mode: 'markers', name: 'events', x: [], y: [], customdata: [],
               hoverinfo: 'none', showlegend: false, cliponaxis: true,
               marker: {symbol: [], size: [], color: [], opacity: [], line: {color: [], width: []}}};
  drawn.forEach(function (i, k) {
    var color = D.colors[D.color[i]][1], faded = dim && !dim.has(i), opacity = faded ? 0.18 : 1;
    var symbol = SYMBOLS[D.kinds[D.kind[i]]] || 'square', hollow = !isExact(D, i), f = D.flags[i];
    function mark(x, sym, open) {
      marks.x.push(iso(x)); marks.y.push(ys[k]); marks.customdata.push(i);
      marks.marker.symbol.push(sym); marks.marker.size.push(sym.indexOf('triangle') === 0 ? 11 : 12);
      marks.marker.color.push(open ? '#ffffff' : color); marks.marker.line.color.push(color);
      marks.marker.line.width.push(open ? 2.5 : 1); marks.marker.opacity.push(opacity);
    }
    if (isPoint(D, i)) { mark(x0s[k] + DAY / 2, symbol, false); return; }
    bars.x.push(x1s[k] - x0s[k]); bars.base.push(iso(x0s[k])); bars.y.push(ys[k]); bars.customdata.push(i);
    var shaky = (f & 12) !== 0;
    bars.marker.color.push(color);
    bars.marker.opacity.push((shaky ? 0.4 : hollow ? 0.28 : 0.55) * (faded ? 0.3 : 1));
    bars.marker.pattern.shape.push(shaky ? '/' : '');
    if (f & 1) { mark(Math.max(x0s[k], v[0] + edge), 'triangle-left', false); } else { mark(x0s[k], symbol, hollow); }
    if (f & 2) { mark(Math.min(x1s[k], v[1] - edge), 'triangle-right', false); }
  });
  var traces = [bars, marks];
  var scale = (v[1] - v[0]) / T.size.plotW;
  var text = {type: 'scatter', mode: 'text', name: 'labels', x: [], y: [], text: [], customdata: [],
              textposition: 'middle right', hoverinfo: 'none', showlegend: false, cliponaxis: true,
              textfont: {size: 11, color: [], family: 'Arial, Helvetica, sans-serif', shadow: '0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff'}};
  text.textposition = [];
  labels.forEach(function (label) {
    var i = drawn[label[0]], left = label[3] === 'left';
    text.x.push(iso(v[0] + (label[2] + (left ? -12 : 12)) * scale)); text.y.push(ys[label[0]]);
    text.textposition.push(left ? 'middle left' : 'middle right');
    text.text.push(plotlyText(label[1])); text.customdata.push(i);
    text.textfont.color.push(dim && !dim.has(i) ? DIM : INK);
  });
  traces.push(text);
  return traces;
}

function markTraces(T, drawnAt) {
  // Search matches get a yellow halo under their markers, the focused event a ring over its own.
  var halo = {type: 'scatter', mode: 'markers', name: 'matches', x: [], y: [], hoverinfo: 'skip', showlegend: false,
              marker: {symbol: 'circle', size: 22, color: 'rgba(240, 228, 66, 0.75)', line: {width: 0}}};
  var ring = {type: 'scatter', mode: 'markers', name: 'focus', x: [], y: [], hoverinfo: 'skip', showlegend: false,
              marker: {symbol: 'circle-open', size: 24, color: '#000000', line: {width: 3, color: '#000000'}}};
  var S = T.S;
  if (S.matches) {
    S.matches.forEach(function (i) {
      var at = drawnAt.get(i);
      if (at) { halo.x.push(at[0]); halo.y.push(at[1]); }
    });
  }
  var focus = S.focus >= 0 ? drawnAt.get(S.focus) : null;
  if (focus) { ring.x.push(focus[0]); ring.y.push(focus[1]); }
  return {under: halo.x.length ? [halo] : [], over: ring.x.length ? [ring] : []};
}

/* ---------------------------------------------------------------- traces: counts per lane and period */

function widthFor(days, least) {  // days per period; never fewer than ``least`` (the days a cell of counts sums)
  for (var k = 0; k < WIDTHS.length; k++) {
    if (days / WIDTHS[k] <= MAX_BINS) { return Math.max(WIDTHS[k], least || 1); }
  }
  return Math.max(365 * Math.ceil(days / (365 * MAX_BINS)), least || 1);
}

function overviewTraces(T, shown, rows, laneTop) {
  var D = T.D, v = T.view, days = Math.max((v[1] - v[0]) / DAY, 1), width = widthFor(days, D.cells && D.cells.days);
  var firstDay = D.meta.first === null ? 0 : D.meta.first;
  var lo = Math.floor((v[0] / DAY - days - firstDay) / width), hi = Math.ceil((v[1] / DAY + days - firstDay) / width);
  var bins = Math.max(hi - lo + 1, 1), oneColour = T.oneColourLanes;
  var groups = oneColour ? D.colors.map(function (entry) { return {color: entry[1], name: entry[0]}; })
                         : [{color: '#0072B2', name: 'events'}];
  groups.forEach(function (g) { g.low = Infinity; g.high = -1; });
  shown.forEach(function (i) {
    var g = groups[oneColour ? D.color[i] : 0], row = laneTop[D.lane[i]];
    if (row < 0) { return; }
    if (row < g.low) { g.low = row; }
    if (row > g.high) { g.high = row; }
  });
  groups.forEach(function (g) {
    if (g.high < 0) { return; }
    var size = (g.high - g.low + 1) * bins;
    g.n = new Uint32Array(size); g.s = new Uint32Array(size); g.w = new Uint32Array(size);
  });
  var top = 1;
  shown.forEach(function (i) {
    var g = groups[oneColour ? D.color[i] : 0], row = laneTop[D.lane[i]];
    if (row < 0) { return; }
    var day = (D.flags[i] & 1) ? D.end[i] : D.start[i], bin = Math.floor((day - firstDay) / width) - lo;
    if (bin < 0 || bin >= bins) { return; }
    var cell = (row - g.low) * bins + bin, weight = D.w(i);
    g.n[cell] += weight;
    if (D.kinds[D.kind[i]] === 'statement') { g.s[cell] += weight; }
    if (!isPoint(D, i)) { g.w[cell] += weight; }
    if (g.n[cell] > top) { top = g.n[cell]; }
  });
  var traces = [];
  T.cells = [];
  groups.forEach(function (g) {
    if (g.high < 0) { return; }
    var z = [];
    for (var r = 0; r <= g.high - g.low; r++) {
      var line = new Array(bins);
      for (var b = 0; b < bins; b++) { var c = g.n[r * bins + b]; line[b] = c ? Math.sqrt(c) : null; }
      z.push(line);
    }
    T.cells.push({low: g.low, bins: bins, lo: lo, width: width, first: firstDay, n: g.n, s: g.s, w: g.w});
    traces.push({type: 'heatmap', name: 'counts', z: z, x0: iso((firstDay + (lo + 0.5) * width) * DAY),
                 dx: width * DAY, y0: g.low + 0.5, dy: 1, zmin: 0, zmax: Math.sqrt(top), showscale: false,
                 colorscale: [[0, tint(g.color)], [1, g.color]], xgap: 0.5, ygap: 3, hoverinfo: 'none',
                 hoverongaps: false});
  });
  T.overviewWidth = width;
  return traces;
}

function tint(color) {
  var mix = function (k) { var c = parseInt(color.slice(k, k + 2), 16); return Math.round(c + (255 - c) * 0.82); };
  return 'rgb(' + mix(1) + ',' + mix(3) + ',' + mix(5) + ')';
}

/* ---------------------------------------------------------------- drawing */

function bandShapes(T, rows) {
  var shapes = [], lane = 0;
  rows.forEach(function (row, y) {
    if (row.group !== undefined) {
      shapes.push({type: 'rect', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: y, y1: y + 1, layer: 'below',
                   fillcolor: HEADING, line: {width: 0}});
    } else if (row.row === 0) {
      if (lane % 2 === 0) {
        shapes.push({type: 'rect', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: y, y1: y + row.rows, layer: 'below',
                     fillcolor: BAND, line: {width: 0}});
      }
      lane++;
    }
  });
  return shapes;
}

function draw(T) {
  // Re-draw everything for the current view, filters, search, focus and collapsed groups.
  T.draws = (T.draws || 0) + 1;
  var D = T.D, S = T.S, v = T.view, shown = shownEvents(T);
  var inside = shown.filter(function (i) { return inView(T, i, v[0], v[1]); });
  var detail = !D.cells && inside.length <= D.meta.detail_limit;
  var drawn = detail ? (shown.length <= D.meta.detail_limit ? shown : inside) : [];
  var scale = T.size.plotW / (v[1] - v[0]);
  var x0s = [], x1s = [], x0p = [], x1p = [];
  drawn.forEach(function (i) {
    var e = extentMs(T, i), marker = isPoint(D, i) ? e[0] + DAY / 2 : e[0];  // a point's marker is mid-day
    x0s.push(e[0]); x1s.push(e[1]);
    var a = (marker - v[0]) * scale, b = (e[1] - v[0]) * scale;
    x0p.push(a); x1p.push(Math.max(b, a + 14 + labelWidth(T, i)));
  });
  var rowsPerLane = new Int32Array(D.lanes.length).fill(1), rowOf = new Int32Array(drawn.length);
  if (detail) { var packed = packRows(T, drawn, x0p, x1p); rowsPerLane = packed.perLane; rowOf = packed.rowOf; }
  var laid = layOutRows(T, rowsPerLane), ys = drawn.map(function (i, k) { return laid.laneTop[D.lane[i]] + rowOf[k] + 0.5; });
  var traces, drawnAt = new Map();
  if (detail) {
    var labels = fitLabels(T, drawn, x0p, x1s.map(function (x) { return (x - v[0]) * scale; }), ys);
    traces = detailTraces(T, drawn, ys, x0s, x1s, labels);
    T.labelBoxes = labels.map(function (label) {
      var w = textWidth(label[1]), x = label[2];
      return [drawn[label[0]], ys[label[0]]].concat(label[3] === 'left' ? [x - 14 - w, x - 8] : [x + 8, x + 15 + w]);
    });
    drawn.forEach(function (i, k) {
      var x = isPoint(D, i) ? x0s[k] + DAY / 2 : (D.flags[i] & 1) ? Math.max(x0s[k], v[0]) : x0s[k];
      drawnAt.set(i, [iso(x), ys[k]]);
    });
    T.labelCount = labels.length;
  } else {
    traces = overviewTraces(T, shown, laid.rows, laid.laneTop);
    T.labelCount = 0;
    T.labelBoxes = [];
  }
  var marked = markTraces(T, drawnAt);
  traces = marked.under.concat(traces, marked.over);
  T.mode = detail ? 'detail' : 'overview';
  T.rows = laid.rows; T.laneTop = laid.laneTop; T.drawn = drawn; T.drawnAt = drawnAt; T.inside = inside;
  var size = fitChart(T, laid.rows.length);
  var layout = Object.assign({}, T.baseLayout, {
    width: size.plotW + T.margin.l + T.margin.r, height: size.height, shapes: bandShapes(T, laid.rows),
    xaxis: Object.assign({}, T.baseLayout.xaxis, {range: [iso(v[0]), iso(v[1])], autorange: false}),
    yaxis: Object.assign({}, T.baseLayout.yaxis, {range: yRange(T)}),
  });
  if (!D.n) {
    layout.annotations = [{text: 'No events match', showarrow: false, xref: 'paper', yref: 'paper', x: 0.5, y: 0.5,
                           font: {size: 16, color: MUTED}}];
  }
  T.busy = true;
  return Plotly.react(T.gd, traces, layout, T.config).then(function () {
    T.busy = false;
    T.gd.setAttribute('data-mode', T.mode);
    T.gd.setAttribute('data-labels', String(T.labelCount));
    if (T.mode === 'overview') { T.gd.setAttribute('data-overview-width', String(T.overviewWidth)); }
    drawGutter(T);
  });
}

/* ---------------------------------------------------------------- size, vertical scrolling, the lane names */

function fitChart(T, rowCount) {
  var chart = T.el.chart, size = T.size, m = T.margin;
  var wanted = rowCount * ROW + m.t + m.b;
  var top = chart.getBoundingClientRect().top + window.scrollY;
  var room = T.printing ? Infinity : Math.max(window.innerHeight - Math.min(top, window.innerHeight * 0.5) - 12, 260);
  size.height = Math.max(Math.min(wanted, room), 160);
  size.visibleRows = (size.height - m.t - m.b) / ROW;
  size.rows = rowCount;
  chart.style.height = size.height + 'px';
  T.el.stage.style.height = size.height + 'px';
  T.el.spacer.style.height = Math.max(0, (rowCount - size.visibleRows) * ROW) + 'px';
  var maxTop = Math.max(0, rowCount - size.visibleRows);
  if (T.scrollRow > maxTop) { T.scrollRow = maxTop; chart.scrollTop = maxTop * ROW; }
  return size;
}

function yRange(T) { return [T.scrollRow + T.size.visibleRows, T.scrollRow]; }

function onChartScroll(T) {
  var row = T.el.chart.scrollTop / ROW;
  if (Math.abs(row - T.scrollRow) < 0.01) { return; }
  T.scrollRow = row;
  T.el.gutterInner.style.transform = 'translateY(' + (-row * ROW) + 'px)';
  if (T.scrollFrame) { return; }
  T.scrollFrame = requestAnimationFrame(function () {
    T.scrollFrame = 0;
    T.busy = true;
    Plotly.relayout(T.gd, {'yaxis.range': yRange(T)}).then(function () { T.busy = false; });
  });
}

function drawGutter(T) {
  var D = T.D, inner = T.el.gutterInner;
  inner.textContent = '';
  inner.style.height = (T.rows.length * ROW) + 'px';
  T.el.gutterClip.style.top = T.margin.t + 'px';
  T.el.gutterClip.style.bottom = T.margin.b + 'px';
  inner.style.transform = 'translateY(' + (-T.scrollRow * ROW) + 'px)';
  T.rows.forEach(function (row, y) {
    if (row.group !== undefined) {
      var open = !T.S.collapsed.has(row.group), button = document.createElement('button');
      button.type = 'button';
      button.className = 'tl-group';
      button.setAttribute('aria-expanded', String(open));
      button.style.top = (y * ROW) + 'px';
      var name = D.groups[row.group].name || '(none)';
      button.textContent = (open ? '▾ ' : '▸ ') + name;
      button.title = name + ': ' + row.lanes + ' lane' + (row.lanes === 1 ? '' : 's') + ', ' +
        row.events.toLocaleString('en') + ' event' + (row.events === 1 ? '' : 's') + (open ? ' (click to collapse)' : ' (click to expand)');
      var count = document.createElement('span');
      count.className = 'tl-group-count';
      count.textContent = String(row.lanes);
      button.appendChild(count);
      button.addEventListener('click', function () { toggleGroup(T, row.group); });
      inner.appendChild(button);
    } else if (row.row === 0) {
      var lane = document.createElement('div'), laneName = D.lanes[row.lane].name;
      lane.className = 'tl-lane' + (row.rows > 1 ? ' tl-lane-tall' : '');
      lane.style.top = (y * ROW) + 'px';
      lane.style.height = (row.rows * ROW) + 'px';
      lane.textContent = laneName;
      lane.title = laneName;
      inner.appendChild(lane);
    }
  });
}

function toggleGroup(T, group) {
  if (T.S.collapsed.has(group)) { T.S.collapsed.delete(group); } else { T.S.collapsed.add(group); }
  update(T);
}
