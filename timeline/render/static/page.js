/* The timeline page around the chart: the page data, search, filters, the event list, the detail card,
   the hover tip, the keyboard and the key.  Runs after chart.js, in the same scope.  Nothing here
   writes HTML: every text from the data goes in with textContent, and nothing is ever sent anywhere. */

function $(id) { return document.getElementById(id); }

function element(tag, className, text) {
  var node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined && text !== null) { node.textContent = text; }
  return node;
}

function plural(n, word, words) { return n.toLocaleString('en') + ' ' + (n === 1 ? word : words || word + 's'); }

function isHttp(url) { return /^https?:\/\/[^\s/]/i.test(url || ''); }

/* ---------------------------------------------------------------- the page data */

function bytesOf(base64) {
  var raw = atob(base64), bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
  return bytes;
}

function gunzip(base64) {
  var stream = new Blob([bytesOf(base64)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

function loadData() {
  // The arrays and text columns, gzipped (or, for a small store, plain): see payload.py.
  var meta = JSON.parse($('tl-data').textContent), plain = meta.encoding === 'plain';
  var names = Object.keys(meta.texts);
  var arrays = plain ? Promise.resolve(bytesOf(meta.arrays).buffer) : gunzip(meta.arrays);
  var texts = plain ? names.map(function (name) { return meta.texts[name]; }) : names.map(function (name) {
    return gunzip(meta.texts[name]).then(function (buffer) { return JSON.parse(new TextDecoder().decode(buffer)); });
  });
  return Promise.all([arrays].concat(texts))
    .then(function (buffers) {
      var D = {meta: meta, n: meta.count, columns: {}}, offset = 0, buffer = buffers[0];
      var types = {i4: Int32Array, u4: Uint32Array, u1: Uint8Array};
      meta.array_layout.forEach(function (entry) {
        var Type = types[entry[1]], bytes = entry[2] * Type.BYTES_PER_ELEMENT;
        D[entry[0]] = new Type(buffer.slice(offset, offset + bytes));
        offset += bytes;
      });
      D.start = new Int32Array(D.n); D.end = new Int32Array(D.n);
      for (var i = 0, day = 0; i < D.n; i++) { day += D.start_delta[i]; D.start[i] = day; D.end[i] = day + D.length[i]; }
      names.forEach(function (name, k) { D.columns[name] = buffers[k + 1]; });
      D.lanes = meta.lanes.map(function (l) { return {name: l[0], group: l[1], events: l[2]}; });
      D.groups = meta.groups.map(function (name) { return {name: name, lanes: []}; });
      D.laneGroup = new Int32Array(D.lanes.length);
      D.lanes.forEach(function (lane, k) { D.groups[lane.group].lanes.push(k); D.laneGroup[k] = lane.group; });
      D.colors = meta.colors; D.kinds = meta.kinds; D.sides = meta.sides; D.actors = meta.actors;
      D.cells = meta.cells;  // rows that are counts of events (a lane, a kind, a day): see counts_figure
      D.events = D.cells ? D.cells.events : D.n;
      D.w = D.weight ? function (i) { return D.weight[i]; } : function () { return 1; };
      D.rangeMs = meta.range ? [meta.range[0] * DAY, meta.range[1] * DAY] : [Date.UTC(2000, 0, 1), Date.UTC(2001, 0, 1)];
      D.has = function (name) { return !!D.columns[name]; };
      D.text = function (name, i) {
        var column = D.columns[name], value = column ? column[i] : '';
        if (!value && name === 'summary') { return D.kinds[D.kind[i]] + ' · ' + D.actors[D.actor[i]]; }
        if (!value && name === 'when') { return iso(D.start[i] * DAY).slice(0, 10); }
        return value || '';
      };
      return D;
    });
}

/* ---------------------------------------------------------------- filters */

function applyFilters(T) {
  var D = T.D, S = T.S, f = S.filters;
  S.laneCount = new Int32Array(D.lanes.length);
  for (var i = 0; i < D.n; i++) {
    var ok = !f.sides.has(D.side[i]) && !f.kinds.has(D.kind[i]) && !f.precisions.has(D.precision[i]) &&
      (!f.actors.size || f.actors.has(D.actor[i]));
    S.pass[i] = ok ? 1 : 0;
    if (ok) { S.laneCount[D.lane[i]] += D.w(i); }
  }
}

function checkboxGroup(T, title, labels, counts, excluded) {
  var box = element('fieldset', 'tl-fieldset');
  box.appendChild(element('legend', '', title));
  labels.forEach(function (label, k) {
    if (!counts[k]) { return; }
    var row = element('label', 'tl-check'), input = element('input');
    input.type = 'checkbox';
    input.checked = !excluded.has(k);
    input.addEventListener('change', function () {
      if (input.checked) { excluded.delete(k); } else { excluded.add(k); }
      refilter(T);
    });
    row.appendChild(input);
    row.appendChild(document.createTextNode(' ' + (label || '(none)') + ' (' + counts[k].toLocaleString('en') + ')'));
    box.appendChild(row);
  });
  return box;
}

function countsOf(D, values, size) {  // events per value (a row of counts stands for its weight)
  var counts = new Array(size).fill(0);
  for (var i = 0; i < values.length; i++) { counts[values[i]] += D.w(i); }
  return counts;
}

function buildFilters(T) {
  var D = T.D, f = T.S.filters, body = $('tl-filter-body');
  body.textContent = '';
  var sideCounts = countsOf(D, D.side, D.sides.length);
  var sidesMeanSomething = D.sides.length > 1 && D.sides.length <= 40 &&
    (D.sides.length < D.actors.length || D.meta.group_by !== 'actor');
  if (sidesMeanSomething) { body.appendChild(checkboxGroup(T, 'Side', D.sides, sideCounts, f.sides)); }
  body.appendChild(checkboxGroup(T, 'Kind', D.kinds, countsOf(D, D.kind, D.kinds.length), f.kinds));
  if (!D.cells) {  // counts keep no precision
    var precisionLabels = D.meta.precisions.map(function (p) { return 'to the ' + p; });
    body.appendChild(checkboxGroup(T, 'Date precision', precisionLabels,
                                   countsOf(D, D.precision, precisionLabels.length), f.precisions));
  }
  var actorBox = element('fieldset', 'tl-fieldset tl-actors');
  actorBox.appendChild(element('legend', '', 'Actors (' + D.actors.length.toLocaleString('en') + ')'));
  var input = element('input'), list = element('datalist'), chips = element('div', 'tl-chips');
  input.type = 'text';
  input.id = 'tl-actor';
  input.setAttribute('list', 'tl-actor-list');
  input.setAttribute('aria-label', 'Show only an actor: type a name');
  input.placeholder = 'Type an actor…';
  input.autocomplete = 'off';
  list.id = 'tl-actor-list';
  var index = new Map();
  D.actors.forEach(function (name, k) {
    index.set(name.toLowerCase(), k);
    var option = element('option');
    option.value = name;
    list.appendChild(option);
  });
  function addActor() {
    var k = index.get(input.value.trim().toLowerCase());
    if (k === undefined) { return; }
    f.actors.add(k);
    input.value = '';
    showChips();
    refilter(T);
  }
  function showChips() {
    chips.textContent = '';
    f.actors.forEach(function (k) {
      var chip = element('button', 'tl-chip', D.actors[k] + ' ×');
      chip.type = 'button';
      chip.setAttribute('aria-label', 'Stop showing only ' + D.actors[k]);
      chip.addEventListener('click', function () { f.actors.delete(k); showChips(); refilter(T); });
      chips.appendChild(chip);
    });
  }
  input.addEventListener('change', addActor);
  input.addEventListener('keydown', function (event) { if (event.key === 'Enter') { addActor(); } });
  actorBox.appendChild(input);
  actorBox.appendChild(list);
  actorBox.appendChild(chips);
  body.appendChild(actorBox);
  var reset = element('button', 'tl-reset', 'Show everything');
  reset.type = 'button';
  reset.addEventListener('click', function () {
    f.sides.clear(); f.kinds.clear(); f.precisions.clear(); f.actors.clear();
    T.S.collapsed.clear();
    buildFilters(T);
    refilter(T);
  });
  body.appendChild(reset);
}

function refilter(T) {
  applyFilters(T);
  runSearch(T, T.el.search.value, false);
  var shown = T.S.pass.reduce(function (sum, v, i) { return sum + (v ? T.D.w(i) : 0); }, 0);
  $('tl-filter-count').textContent = shown === T.D.events ? '' : plural(shown, 'event') + ' shown';
  update(T);
}

/* ---------------------------------------------------------------- search */

function haystack(T, i) {
  var D = T.D;
  if (!T.hay) { T.hay = new Array(D.n); }
  if (T.hay[i] === undefined) {
    var parts = [D.actors[D.actor[i]], D.sides[D.side[i]], D.lanes[D.lane[i]].name];
    Object.keys(D.columns).forEach(function (name) { if (name !== 'source_url') { parts.push(D.columns[name][i]); } });
    T.hay[i] = parts.join('\n').toLowerCase();
  }
  return T.hay[i];
}

function runSearch(T, query, move) {
  var S = T.S, q = T.D.cells ? '' : query.trim().toLowerCase();  // counts carry no text to search
  if (!q) {
    S.matches = null; S.matchSet = null; S.matchPos = -1;
  } else {
    var found = [];
    for (var i = 0; i < T.D.n; i++) { if (S.pass[i] && haystack(T, i).indexOf(q) >= 0) { found.push(i); } }
    S.matches = found; S.matchSet = new Set(found); S.matchPos = -1;
  }
  var count = $('tl-count');
  count.textContent = S.matches ? (S.matches.length ? plural(S.matches.length, 'match', 'matches') : 'no match') : '';
  $('tl-prev').disabled = $('tl-next').disabled = !(S.matches && S.matches.length);
  if (move && S.matches && S.matches.length) { stepMatch(T, 1); }
}

function stepMatch(T, direction) {
  var S = T.S;
  if (!S.matches || !S.matches.length) { return; }
  S.matchPos = (S.matchPos + direction + S.matches.length) % S.matches.length;
  focusEvent(T, S.matches[S.matchPos], true);
}

/* ---------------------------------------------------------------- focus, stepping, the card */

function focusEvent(T, i, announce) {
  var S = T.S;
  S.focus = i;
  S.collapsed.delete(T.D.laneGroup[T.D.lane[i]]);  // an event in a collapsed group opens it
  var v = T.view, e = extentMs(T, i), width = v[1] - v[0];
  var anchor = isPoint(T.D, i) ? e[0] + DAY / 2 : e[0];
  if (!(anchor >= v[0] && anchor <= v[1])) { T.view = [anchor - width / 2, anchor + width / 2]; }
  var count = 0, shown = shownEvents(T);
  shown.forEach(function (j) { if (inView(T, j, T.view[0], T.view[1])) { count++; } });
  if (count > T.D.meta.detail_limit) {  // too many to draw one by one: zoom in on the event
    for (var days = 7; days >= 1 / 24; days /= 2) {
      T.view = [anchor - days * DAY / 2, anchor + days * DAY / 2];
      count = 0;
      shown.forEach(function (j) { if (inView(T, j, T.view[0], T.view[1])) { count++; } });
      if (count <= T.D.meta.detail_limit) { break; }
    }
  }
  if (announce) { $('tl-live').textContent = describe(T, i); }
  return update(T).then(function () { scrollToEvent(T, i); if (S.card >= 0) { openCard(T, i); } });
}

function scrollToEvent(T, i) {
  var top = T.laneTop[T.D.lane[i]];
  if (top < 0) { return; }
  var at = T.drawnAt.get(i), row = at ? at[1] - 0.5 : top;
  if (row < T.scrollRow || row + 1 > T.scrollRow + T.size.visibleRows) {
    T.el.chart.scrollTop = Math.max(0, row - 1) * ROW;
  }
}

function stepEvent(T, direction) {
  var shown = shownEvents(T), S = T.S;
  if (!shown.length || T.D.cells) { return; }
  var at = shown.indexOf(S.focus), next;
  if (at < 0) {  // start from the view: the first event in it (or the last, stepping back)
    var inside = shown.filter(function (i) { return inView(T, i, T.view[0], T.view[1]); });
    next = inside.length ? inside[direction > 0 ? 0 : inside.length - 1] : shown[0];
  } else {
    next = shown[Math.min(Math.max(at + direction, 0), shown.length - 1)];
  }
  focusEvent(T, next, true);
}

function describe(T, i) {
  var D = T.D;
  return D.text('when', i) + ' · ' + D.actors[D.actor[i]] + ': ' + D.text('summary', i);
}

function field(list, term, value) {
  if (!value) { return; }
  list.appendChild(element('dt', '', term));
  var dd = element('dd');
  if (typeof value === 'string') { dd.textContent = value; } else { dd.appendChild(value); }
  list.appendChild(dd);
}

function openCard(T, i) {
  var D = T.D, card = T.el.card, body = $('tl-card-body');
  T.S.card = i;
  T.S.focus = i;
  body.textContent = '';
  $('tl-card-title').textContent = D.text('summary', i);
  var list = element('dl', 'tl-fields'), actor = D.actors[D.actor[i]], written = D.text('actor', i);
  var side = D.sides[D.side[i]];
  field(list, 'Who', actor + (written ? ' (as “' + written + '”)' : '') + (side && side !== actor ? ' · ' + side : ''));
  field(list, 'What', [D.kinds[D.kind[i]], D.text('event_type', i)].filter(Boolean).join(' · '));
  field(list, 'When', D.text('when', i));
  var words = D.text('date_text', i), anchor = D.text('date_anchor', i), date = D.text('date', i);
  if (D.has('date_text') || D.has('date')) {
    var asWritten = (words ? '“' + words + '”' : 'no date words') + (anchor ? ', relative to ' + anchor : '') +
      (date ? ' → ' + date : '');
    field(list, 'As written', asWritten);
  }
  var quote = D.text('quote', i);
  if (quote) { var q = element('blockquote', 'tl-quote', '“' + quote + '”'); field(list, 'Quote', q); }
  field(list, 'Place', D.text('place', i));
  var source = D.text('source', i), chain = D.text('source_chain', i);
  field(list, 'Source', chain && chain !== source ? [source, chain].filter(Boolean).join(' — ') : source);
  field(list, 'Targets', D.text('targets', i));
  field(list, 'Notes', D.text('notes', i));
  field(list, 'Id', D.text('id', i));
  body.appendChild(list);
  var url = D.text('source_url', i);
  if (isHttp(url)) {
    var link = element('a', 'tl-source-link', 'Open source ↗');
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.referrerPolicy = 'no-referrer';
    body.appendChild(link);
  }
  if (D.meta.left_out.length) {
    body.appendChild(element('p', 'tl-left-out', 'Not in this page: ' + D.meta.left_out.join(', ') + '.'));
  }
  card.hidden = false;
  highlightRow(T);
}

function closeCard(T) {
  T.el.card.hidden = true;
  T.S.card = -1;
  T.el.chart.focus({preventScroll: true});
}

/* ---------------------------------------------------------------- the hover tip */

function showTip(T, lines, x, y) {
  if (T.touch) { return; }
  var tip = T.el.tip;
  tip.textContent = '';
  lines.forEach(function (line, k) { tip.appendChild(element(k ? 'div' : 'strong', '', line)); });
  tip.hidden = false;
  var w = tip.offsetWidth, h = tip.offsetHeight;
  tip.style.left = Math.max(4, Math.min(x + 14, window.innerWidth - w - 4)) + 'px';
  tip.style.top = Math.max(4, y + 16 + h > window.innerHeight ? y - h - 10 : y + 16) + 'px';
}

function hideTip(T) { T.el.tip.hidden = true; }

function eventTip(T, i) {
  var D = T.D, actor = D.actors[D.actor[i]];
  return [D.text('summary', i), D.text('when', i) + ' · ' + actor + ' · ' + D.kinds[D.kind[i]],
          'Click for the card'];
}

function cellTip(T, trace, point) {
  var cells = T.cells[trace], r = point[0], b = point[1], cell = r * cells.bins + b, n = cells.n[cell];
  if (!n) { return null; }
  var row = T.rows[cells.low + r], lane = row && row.lane !== undefined ? T.D.lanes[row.lane].name : '';
  var first = (cells.first + (cells.lo + b) * cells.width) * DAY;
  var day = new Intl.DateTimeFormat('en-GB', {day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC'})
    .format(new Date(first));
  var period = cells.width === 1 ? day : cells.width === 7 ? 'week of ' + day : cells.width + ' days from ' + day;
  var lines = [lane, period, plural(n, 'event') + ': ' + plural(cells.s[cell], 'statement') + ', ' +
               plural(n - cells.s[cell], 'action')];
  if (cells.w[cell]) { lines.push(cells.w[cell].toLocaleString('en') + ' dated by a span, counted at its start'); }
  lines.push('Click to zoom in');
  return lines;
}

function labelAt(T, clientX, clientY) {
  // Labels are text beside the markers; find the one under the pointer from the rows and widths drawn.
  var layout = T.gd._fullLayout, box = T.gd.getBoundingClientRect(), size = layout._size;
  var x = clientX - box.left - size.l, y = clientY - box.top - size.t;
  if (x < 0 || y < 0 || x > size.w || y > size.h) { return -1; }
  var row = Math.floor(layout.yaxis.p2l(y)) + 0.5, found = -1;
  (T.labelBoxes || []).forEach(function (b) { if (b[1] === row && x >= b[2] && x <= b[3]) { found = b[0]; } });
  return found;
}

/* ---------------------------------------------------------------- the list of events in view */

function renderList(T) {
  var D = T.D, S = T.S, tbody = $('tl-rows'), limit = 300;
  var rows = T.inside.filter(function (i) { return !S.matchSet || S.matchSet.has(i); });
  tbody.textContent = '';
  if (D.cells) {
    $('tl-list-note').textContent = 'This page carries counts of ' + plural(D.events, 'event') +
      ', not the events themselves: render fewer (timeline render --from, --to, --actor, --kind) to list them.';
    return;
  }
  var fragment = document.createDocumentFragment();
  rows.slice(0, limit).forEach(function (i) {
    var tr = element('tr');
    tr.dataset.event = String(i);
    var actor = D.actors[D.actor[i]], side = D.sides[D.side[i]];
    tr.appendChild(element('td', 'tl-when', D.text('when', i)));
    tr.appendChild(element('td', '', actor + (side && side !== actor ? ' · ' + side : '')));
    tr.appendChild(element('td', '', D.kinds[D.kind[i]]));
    var cell = element('td'), open = element('button', 'tl-open', D.text('summary', i));
    open.type = 'button';
    open.addEventListener('click', function () { focusEvent(T, i, false).then(function () { openCard(T, i); }); });
    cell.appendChild(open);
    tr.appendChild(cell);
    tr.appendChild(element('td', '', D.text('place', i)));
    tr.appendChild(element('td', '', D.text('source', i)));
    fragment.appendChild(tr);
  });
  tbody.appendChild(fragment);
  var v = T.view, fmt = function (ms) { return iso(ms).slice(0, 10); };
  var what = S.matchSet ? plural(rows.length, 'match', 'matches') + ' in view'
                        : plural(rows.length, 'event') + ' in view';
  $('tl-list-note').textContent = what + ' (' + fmt(v[0]) + ' to ' + fmt(v[1]) + ')' +
    (rows.length > limit ? '; the first ' + limit + ' are listed: zoom in or filter to list the rest.' : '.');
  highlightRow(T);
}

function highlightRow(T) {
  var current = document.querySelector('#tl-rows tr.tl-current');
  if (current) { current.classList.remove('tl-current'); current.removeAttribute('aria-current'); }
  var row = document.querySelector('#tl-rows tr[data-event="' + T.S.focus + '"]');
  if (row) { row.classList.add('tl-current'); row.setAttribute('aria-current', 'true'); }
}

/* ---------------------------------------------------------------- the key and the zoom buttons */

function buildLegend(T) {
  var D = T.D, legend = $('tl-legend');
  legend.textContent = '';
  var colours = element('div', 'tl-legend-line');
  colours.appendChild(element('span', 'tl-legend-title', 'Colour by ' + D.meta.color_by + ':'));
  D.colors.forEach(function (entry) {
    var item = element('span', 'tl-legend-item'), swatch = element('span', 'tl-swatch');
    swatch.style.background = entry[1];
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(entry[0] || '(none)'));
    colours.appendChild(item);
  });
  var shapes = element('div', 'tl-legend-line tl-legend-shapes');
  [['●', 'statement'], ['◆', 'action'], ['○', 'date not exact'], ['▬', 'span'], ['▨', 'approximate span'],
   ['▶', 'ongoing'], ['+N', 'more events: zoom in']].forEach(function (entry) {
    var item = element('span', 'tl-legend-item');
    item.appendChild(element('span', 'tl-glyph', entry[0]));
    item.appendChild(document.createTextNode(entry[1]));
    shapes.appendChild(item);
  });
  legend.appendChild(colours);
  if (!D.cells) { legend.appendChild(shapes); }  // a page of counts draws no markers or spans
}

function buildZoom(T) {
  var box = $('tl-zoom'), D = T.D, span = D.rangeMs[1] - D.rangeMs[0];
  [['1w', 7], ['1m', 31], ['6m', 183], ['1y', 366], ['5y', 1827], ['20y', 7305]].forEach(function (entry) {
    if (entry[1] * DAY >= span) { return; }
    var button = element('button', 'tl-zoom-button', entry[0]);
    button.type = 'button';
    button.setAttribute('aria-label', 'Show ' + entry[0].replace('w', ' week').replace('m', ' months')
      .replace('y', ' years') + ' around the middle of the view');
    button.addEventListener('click', function () {
      var middle = (T.view[0] + T.view[1]) / 2, half = entry[1] * DAY / 2;
      T.view = [middle - half, middle + half];
      update(T);
    });
    box.appendChild(button);
  });
  var all = element('button', 'tl-zoom-button', 'all');
  all.type = 'button';
  all.setAttribute('aria-label', 'Show every date');
  all.addEventListener('click', function () { T.view = D.rangeMs.slice(); update(T); });
  box.appendChild(all);
}

/* ---------------------------------------------------------------- updating and starting */

function update(T) {
  return draw(T).then(function () { renderList(T); });
}

function measure(T) {
  var width = T.el.chart.clientWidth || window.innerWidth;
  var narrow = width < 640;
  T.narrow = narrow;
  T.size.gutter = narrow ? 104 : 200;
  T.size.labelPx = narrow ? Math.round(LABEL_PX * 2 / 3) : LABEL_PX;
  T.el.gutter.style.width = T.size.gutter + 'px';
  T.size.plotW = Math.max(width - T.size.gutter - T.margin.l - T.margin.r, 120);
  T.baseLayout.dragmode = narrow ? 'pan' : 'zoom';
}

function listen(T) {
  var gd = T.gd;
  gd.on('plotly_relayout', function (change) {  // a zoom or pan (the lanes' own scrolling changes y only)
    var keys = Object.keys(change || {});
    if (keys.some(function (k) { return k.indexOf('xaxis.autorange') === 0; })) { T.view = T.D.rangeMs.slice(); }
    else if (keys.some(function (k) { return k.indexOf('xaxis.range') === 0; })) { T.view = viewRange(T); }
    else { return; }
    update(T);
  });
  gd.on('plotly_hover', function (event) {
    var point = event.points && event.points[0];
    if (!point) { return; }
    var lines = point.data.type === 'heatmap' ? cellTip(T, T.cells.length > 1 ? point.curveNumber : 0, point.pointNumber)
                                              : eventTip(T, point.customdata);
    if (lines) { showTip(T, lines, event.event.clientX, event.event.clientY); }
    T.hovering = true;
  });
  gd.on('plotly_unhover', function () { T.hovering = false; hideTip(T); });
  gd.on('plotly_click', function (event) {
    var point = event.points && event.points[0];
    if (!point) { return; }
    T.clicked = Date.now();
    hideTip(T);
    if (point.data.type === 'heatmap') {
      var cells = T.cells[T.cells.length > 1 ? point.curveNumber : 0], b = point.pointNumber[1];
      var first = (cells.first + (cells.lo + b) * cells.width) * DAY;
      T.view = [first - cells.width * DAY, first + 2 * cells.width * DAY];
      update(T);
      return;
    }
    if (typeof point.customdata === 'number') { openCard(T, point.customdata); focusEvent(T, point.customdata, false); }
  });
  gd.addEventListener('click', function (event) {  // a click on a label's text, away from its marker
    var i = labelAt(T, event.clientX, event.clientY);
    setTimeout(function () {  // after Plotly's own click on a marker, which wins
      if (i >= 0 && Date.now() - (T.clicked || 0) > 300) { openCard(T, i); focusEvent(T, i, false); }
    }, 0);
  });
  gd.addEventListener('mousemove', function (event) {
    if (T.hovering) { return; }
    var i = labelAt(T, event.clientX, event.clientY);
    if (i >= 0) { showTip(T, eventTip(T, i), event.clientX, event.clientY); } else { hideTip(T); }
  });
  gd.addEventListener('mouseleave', function () { hideTip(T); });
  document.addEventListener('pointerdown', function (event) { T.touch = event.pointerType === 'touch'; }, true);
  T.el.chart.addEventListener('scroll', function () { onChartScroll(T); }, {passive: true});
  var touch = null;  // a vertical swipe over the plot scrolls the lanes (Plotly pans the dates only)
  gd.addEventListener('touchstart', function (event) {
    var t = event.touches[0];
    touch = event.touches.length === 1 ? {x: t.clientX, y: t.clientY, top: T.el.chart.scrollTop} : null;
  }, {passive: true, capture: true});
  gd.addEventListener('touchmove', function (event) {
    var t = event.touches[0];
    if (!touch || !t) { return; }
    var dx = t.clientX - touch.x, dy = t.clientY - touch.y;
    if (Math.abs(dy) > Math.abs(dx)) { T.el.chart.scrollTop = touch.top - dy; }
  }, {passive: true, capture: true});
  T.el.search.addEventListener('input', function () {
    clearTimeout(T.searchTimer);
    T.searchTimer = setTimeout(function () { runSearch(T, T.el.search.value, false); update(T); }, 150);
  });
  T.el.search.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') {
      clearTimeout(T.searchTimer);
      if (T.S.matches === null || T.lastQuery !== T.el.search.value) { runSearch(T, T.el.search.value, false); }
      T.lastQuery = T.el.search.value;
      stepMatch(T, event.shiftKey ? -1 : 1);
    }
  });
  $('tl-next').addEventListener('click', function () { stepMatch(T, 1); });
  $('tl-prev').addEventListener('click', function () { stepMatch(T, -1); });
  $('tl-card-close').addEventListener('click', function () { closeCard(T); });
  document.addEventListener('keydown', function (event) { onKey(T, event); });
  var resizing = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { measure(T); update(T); }, 150);
  });
  window.addEventListener('beforeprint', function () {  // every lane, at most as wide as a landscape page
    T.printing = true;
    measure(T);
    T.size.plotW = Math.min(T.size.plotW, 1000 - T.size.gutter - T.margin.l - T.margin.r);
    draw(T);
  });
  window.addEventListener('afterprint', function () { T.printing = false; measure(T); update(T); });
}

function onKey(T, event) {
  var target = event.target, typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  if (event.key === 'Escape') {
    if (T.S.card >= 0) { closeCard(T); event.preventDefault(); }
    hideTip(T);
    return;
  }
  if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
  if (event.key === '/') { event.preventDefault(); T.el.search.focus(); T.el.search.select(); return; }
  var inChart = T.el.chart.contains(target) || target === document.body || T.el.card.contains(target);
  if (!inChart) { return; }
  if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    event.preventDefault();
    stepEvent(T, event.key === 'ArrowRight' ? 1 : -1);
  } else if (event.key === 'Enter' && T.S.focus >= 0 && T.el.chart.contains(target)) {
    event.preventDefault();
    openCard(T, T.S.focus);
  }
}

function start() {
  performance.mark('timeline:start');
  var figure = JSON.parse($('tl-figure').textContent);
  var T = {
    gd: $('timeline'), size: {}, margin: {l: 4, r: 14, t: 28, b: 34}, scrollRow: 0, view: null, busy: false,
    el: {chart: $('tl-chart'), stage: $('tl-stage'), spacer: $('tl-spacer'), gutter: $('tl-gutter'),
         gutterClip: $('tl-gutter-clip'), gutterInner: $('tl-gutter-inner'), search: $('tl-search'), card: $('tl-card'), tip: $('tl-tip')},
    config: figure.config,
  };
  var layout = figure.layout;
  layout.margin = T.margin;
  layout.showlegend = false;
  layout.yaxis = {fixedrange: true, showticklabels: false, showgrid: false, zeroline: false, ticks: ''};
  layout.xaxis = Object.assign({}, layout.xaxis, {fixedrange: false, autorange: false});
  T.baseLayout = layout;
  window.timelinePage = T;  // for tests and for readers who script their copy of the page
  return loadData().then(function (D) {
    performance.mark('timeline:data');
    T.D = D;
    var style = D.meta.style;
    ROW = style.row_px; MAX_ROWS = style.max_rows; LABEL_PX = style.label_px; MIN_LABEL = style.min_label_px;
    SYMBOLS = style.symbols;
    T.labelWidths = new Float32Array(D.n).fill(NaN);
    T.S = {pass: new Uint8Array(D.n), collapsed: new Set(), matches: null, matchSet: null, matchPos: -1,
           focus: -1, card: -1, filters: {sides: new Set(), kinds: new Set(), precisions: new Set(), actors: new Set()}};
    T.oneColourLanes = (function () {
      var colour = new Int32Array(D.lanes.length).fill(-1);
      for (var i = 0; i < D.n; i++) {
        var l = D.lane[i];
        if (colour[l] < 0) { colour[l] = D.color[i]; } else if (colour[l] !== D.color[i]) { return false; }
      }
      return true;
    })();
    T.view = D.rangeMs.slice();
    buildLegend(T);
    buildZoom(T);
    $('tl-filters').addEventListener('toggle', function () {  // built when first opened: a quicker first draw
      if ($('tl-filters').open && !$('tl-filter-body').firstChild) { buildFilters(T); }
    });
    applyFilters(T);
    if (D.cells) {
      T.el.search.disabled = true;
      T.el.search.placeholder = 'Counts only: no search';
      var note = $('tl-notice');
      note.textContent = 'This page shows ' + plural(D.events, 'event') + ' as counts per lane and ' +
        (D.cells.days === 1 ? 'day' : 'period of ' + D.cells.days + ' days') + ', too many to carry one by one. ' +
        'Render fewer (timeline render --from, --to, --actor, --kind) to see each event.';
      note.hidden = false;
    } else if (D.meta.left_out.length || Object.keys(D.meta.cut).length) {
      var notice = $('tl-notice');
      notice.textContent = 'To stay within its size, this page of ' + plural(D.n, 'event') + ' leaves out ' +
        (D.meta.left_out.length ? 'these columns: ' + D.meta.left_out.join(', ') : 'nothing') +
        (D.meta.cut.summary ? '; summaries are cut to ' + D.meta.cut.summary + ' characters' : '') +
        '. Render fewer events (timeline render --from, --to, --actor) to keep them.';
      notice.hidden = false;
    }
    measure(T);
    performance.mark('timeline:draw');
    return update(T);
  }).then(function () {
    performance.mark('timeline:drawn');
    listen(T);
    T.gd.setAttribute('data-ready', 'true');
    window.timelineReadyAt = performance.now();  // ms from the start of navigation, for benchmarks/render.py
    window.timelineReady = true;
  }).catch(function (error) {
    $('tl-notice').textContent = 'This page could not draw its timeline: ' + error;
    $('tl-notice').hidden = false;
    throw error;
  });
}

start();
