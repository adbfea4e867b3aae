// A taskforce's status history as a plot: for each compound status (HTCondor status and pilot status), how many
// workers were in it at each report the service kept, as a step line (a count holds until the next report) with a
// point per report. Drawn as SVG here: axes with counts and times, a legend, and the same numbers as a table.

import { el, svg } from './dom.js';
import { flattenStatuses } from './model.js';
import { axisText, durationText, localText, timeElement, utcText } from './time.js';

const HEIGHT = 230;
const MARGIN = { top: 12, right: 14, bottom: 36, left: 46 };
const PALETTE = 10;
const DASHES = 3;
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
  172800, 604800];

/** About `count` round numbers from 0 to at least `max`. */
function countTicks(max, count = 4) {
  const top = Math.max(1, max);
  const raw = top / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const stepWhole = Math.max(1, Math.round(step));
  const ticks = [];
  for (let v = 0; v < top + stepWhole; v += stepWhole) {
    ticks.push(v);
    if (v >= top) {
      break;
    }
  }
  return ticks;
}

/** Round times between `from` and `to`, at most about five. */
function timeTicks(from, to) {
  const span = to - from;
  const step = TIME_STEPS.find((s) => span / s <= 5) ?? span / 5;
  const ticks = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) {
    ticks.push(t);
  }
  return ticks;
}

/** Series, one per compound status ever reported, the biggest first; each holds a count per history entry. */
export function seriesOf(history) {
  const flat = history.map((entry) => flattenStatuses(entry.compound_statuses));
  const names = new Map();
  for (const statuses of flat) {
    for (const [name, count] of statuses) {
      names.set(name, Math.max(names.get(name) ?? 0, count));
    }
  }
  return [...names.entries()]
    .sort(([a, ma], [b, mb]) => mb - ma || a.localeCompare(b))
    .map(([name]) => ({ name, counts: flat.map((statuses) => statuses.get(name) ?? 0) }));
}

function table(history, series) {
  return el('details', {},
    el('summary', {}, 'The same as a table'),
    el('table', {},
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Reported'),
        series.map((s) => el('th', { scope: 'col', class: 'num' }, s.name)))),
      el('tbody', {}, history.map((entry, i) => el('tr', {},
        el('td', {}, timeElement(entry.timestamp)),
        series.map((s) => el('td', { class: 'num' }, s.counts[i])))))));
}

/** Draws the history (oldest first) into the container, replacing what was there. */
export function renderPlot(container, history) {
  if (history.length === 0) {
    container.replaceChildren(el('p', { class: 'unavailable' }, 'No status reports yet.'));
    return;
  }
  const width = Math.max(260, container.clientWidth || 640);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const times = history.map((e) => e.timestamp);
  let from = times[0];
  let to = times[times.length - 1];
  if (to - from < 1) {
    from -= 30;
    to += 30;
  }
  const series = seriesOf(history);
  const yTicks = countTicks(Math.max(0, ...series.flatMap((s) => s.counts)));
  const top = yTicks[yTicks.length - 1];
  const x = (t) => MARGIN.left + (t - from) / (to - from) * plotWidth;
  const y = (v) => MARGIN.top + plotHeight - v / top * plotHeight;

  const grid = svg('g', { class: 'grid' },
    yTicks.map((v) => svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: y(v), y2: y(v) })));
  const yAxis = svg('g', { class: 'axis' },
    svg('line', { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: MARGIN.top + plotHeight }),
    yTicks.map((v) => svg('text', { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v)),
    svg('text', {
      class: 'axis-title', transform: `translate(12 ${MARGIN.top + plotHeight / 2}) rotate(-90)`, 'text-anchor': 'middle',
    }, 'workers'));
  const span = to - from;
  const xAxis = svg('g', { class: 'axis' },
    svg('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: MARGIN.top + plotHeight, y2: MARGIN.top + plotHeight }),
    timeTicks(from, to).map((t) => svg('g', {},
      svg('line', { x1: x(t), x2: x(t), y1: MARGIN.top + plotHeight, y2: MARGIN.top + plotHeight + 5 }),
      svg('text', { x: x(t), y: MARGIN.top + plotHeight + 18, 'text-anchor': 'middle' },
        svg('title', {}, utcText(t)), axisText(t, span)))),
    svg('text', { class: 'axis-title', x: width - MARGIN.right, y: HEIGHT - 2, 'text-anchor': 'end' },
      'time (local)'));

  const lines = series.map((s, i) => {
    const points = s.counts.map((count, k) => [x(times[k]), y(count)]);
    const steps = points.map(([px, py], k) => (k === 0 ? `M${px},${py}` : `H${px} V${py}`)).join(' ');
    return svg('g', {
      class: `series s${i % PALETTE} d${Math.floor(i / PALETTE) % DASHES}`,
      dataset: { status: s.name, points: s.counts.length },
    },
    svg('path', { d: steps }),
    points.map(([px, py], k) => svg('circle', { cx: px, cy: py, r: 3 },
      svg('title', {}, `${s.name}: ${s.counts[k]} at ${localText(times[k])}`))));
  });

  const last = history.length - 1;
  const legend = el('ul', { class: 'legend' }, series.map((s, i) => el('li', {
    class: `s${i % PALETTE} d${Math.floor(i / PALETTE) % DASHES}`,
  }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), `${s.name}: ${s.counts[last]} now`)));
  const described = `Workers in each compound status at each of the ${history.length} status report` +
    `${history.length === 1 ? '' : 's'} kept, over ${durationText(times[last] - times[0])}.`;
  const picture = svg('svg', {
    viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img', 'aria-label': described,
    dataset: { entries: history.length, series: series.length },
  }, grid, yAxis, xAxis, lines);
  const numbers = series.length ? table(history, series) : el('p', { class: 'unavailable' }, 'No workers were reported.');
  // Drawn again as reports come: a table the user opened stays open.
  if (numbers instanceof HTMLDetailsElement) {
    numbers.open = container.querySelector('details')?.open ?? false;
  }
  container.replaceChildren(el('figure', {}, picture, legend, el('figcaption', {}, described)), numbers);
}
