// A taskforce's phase timeline, from its phase_change_log: each phase it reached is a bar along a time axis, from
// when it got there to when it left (or now), and each failed attempt a mark at its time. Who moved it and why shows
// on hover (the marks' titles) and on keyboard focus (the line under the bar); the whole log is a table below.

import { el, svg } from './dom.js';
import { logReason } from './model.js';
import { axisText, durationText, localText, nowSeconds, timeElement, utcText } from './time.js';

const BAR_TOP = 12;
const BAR_HEIGHT = 26;
const HEIGHT = 70;
const LABEL_WIDTH = 84; // room for a time of day in the axis's type
const LABEL_PADDING = 8;

function describeSegment(segment, open) {
  const end = open ? 'now' : localText(segment.end);
  const why = logReason(segment.entry);
  return `${segment.entry.target_phase}: from ${localText(segment.start)} to ${end} ` +
    `(${durationText(segment.end - segment.start)}), by ${segment.entry.source_entity}${why ? `: ${why}` : ''}`;
}

function describeFailure(entry) {
  const why = logReason(entry);
  return `Failed attempt to move to ${entry.target_phase} at ${localText(entry.timestamp)}, ` +
    `by ${entry.source_entity}${why ? `: ${why}` : ''}`;
}

/**
 * Lays the phases out: each gets a least width, so a phase of seconds stays visible beside one of days, and the rest
 * of the width is shared by duration.
 */
function layout(log, phase, width) {
  const ordered = log.map((entry, i) => ({ entry, i }))
    .sort((a, b) => a.entry.timestamp - b.entry.timestamp || a.i - b.i)
    .map(({ entry }) => entry);
  const reached = ordered.filter((e) => e.was_successful);
  const done = phase === 'condor-complete';
  const last = ordered.length ? ordered[ordered.length - 1].timestamp : nowSeconds();
  const finalEnd = done ? last : Math.max(nowSeconds(), last);
  const segments = reached.map((entry, i) => ({
    entry,
    start: entry.timestamp,
    end: i + 1 < reached.length ? reached[i + 1].timestamp : finalEnd,
  }));
  const least = segments.length ? Math.min(30, width / (segments.length * 2)) : 0;
  const total = segments.reduce((sum, s) => sum + (s.end - s.start), 0);
  const spare = width - least * segments.length;
  let x = 0;
  for (const segment of segments) {
    const share = total > 0 ? spare * (segment.end - segment.start) / total : spare / segments.length;
    segment.x = x;
    segment.width = least + share;
    x += segment.width;
  }
  return { ordered, segments, open: !done };
}

/** Where a time falls on the laid-out axis. */
function xOf(segments, time) {
  if (segments.length === 0) {
    return 0;
  }
  const at = segments.find((s, i) => time < s.end || i === segments.length - 1) ?? segments[0];
  const span = at.end - at.start;
  const within = span > 0 ? Math.min(1, Math.max(0, (time - at.start) / span)) : 0;
  return time < at.start ? at.x : at.x + within * at.width;
}

function logTable(ordered) {
  return el('details', {},
    el('summary', {}, `Phase log (${ordered.length} entr${ordered.length === 1 ? 'y' : 'ies'})`),
    el('table', {},
      el('thead', {}, el('tr', {},
        ['When', 'Phase', 'Outcome', 'By', 'Why'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ordered.map((entry) => el('tr', {},
        el('td', {}, timeElement(entry.timestamp)),
        el('td', {}, el('span', { class: `ph ph-${entry.target_phase}` }, entry.target_phase)),
        el('td', { class: entry.was_successful ? null : 'error' }, entry.was_successful ? 'reached' : 'failed'),
        el('td', {}, entry.source_entity),
        el('td', {}, logReason(entry)))))));
}

/** Draws the timeline of a taskforce (its phase and phase_change_log) into the container, replacing what was there. */
export function renderTimeline(container, taskforce) {
  // Drawn again as the taskforce changes: the keyboard's place in it is kept.
  const focused = container.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
  const width = Math.max(240, container.clientWidth || 640);
  const log = taskforce.phase_change_log ?? [];
  const { ordered, segments, open } = layout(log, taskforce.phase, width);
  const detail = el('p', { class: 'timeline-detail', 'aria-live': 'polite' },
    segments.length ? 'Hover over or focus a phase to see who moved the taskforce there, and why.' : 'No phase reached yet.');
  const show = (text) => () => {
    detail.textContent = text;
  };

  const bars = segments.map((segment, i) => {
    const text = describeSegment(segment, open && i === segments.length - 1);
    const label = segment.width > 70 ? segment.entry.target_phase : '';
    return svg('g', {
      class: `seg ph-${segment.entry.target_phase}`, tabindex: 0, role: 'img', 'aria-label': text,
      dataset: { phase: segment.entry.target_phase, start: segment.start, key: `phase-${i}` },
      onfocus: show(text), onmouseenter: show(text),
    },
    svg('title', {}, text),
    svg('rect', { x: segment.x, y: BAR_TOP, width: Math.max(1, segment.width), height: BAR_HEIGHT, rx: 3 }),
    label ? svg('text', { x: segment.x + 6, y: BAR_TOP + 17 }, label) : null);
  });

  const failures = ordered.filter((e) => !e.was_successful).map((entry) => {
    const text = describeFailure(entry);
    const x = xOf(segments, entry.timestamp);
    return svg('g', {
      class: 'attempt-failed', tabindex: 0, role: 'img', 'aria-label': text,
      dataset: { phase: entry.target_phase, time: entry.timestamp, key: `failed-${entry.timestamp}` },
      onfocus: show(text), onmouseenter: show(text),
    },
    svg('title', {}, text),
    svg('path', { d: `M${x - 6},${BAR_TOP - 10} L${x + 6},${BAR_TOP - 10} L${x},${BAR_TOP + 2} Z` }));
  });

  // Time labels at phase changes, as many as fit without overlapping, and one at the end.
  const span = segments.length ? segments[segments.length - 1].end - segments[0].start : 0;
  const extent = (x, anchor) => (anchor === 'start' ? [x, x + LABEL_WIDTH]
    : anchor === 'end' ? [x - LABEL_WIDTH, x] : [x - LABEL_WIDTH / 2, x + LABEL_WIDTH / 2]);
  const ticks = [];
  const endExtent = extent(width, 'end');
  for (const segment of segments) {
    const anchor = ticks.length === 0 ? 'start' : 'middle';
    const [from, to] = extent(segment.x, anchor);
    const previous = ticks.length ? ticks[ticks.length - 1].to : -Infinity;
    if (from >= previous + LABEL_PADDING && to <= endExtent[0] - LABEL_PADDING && from >= 0) {
      ticks.push({ x: segment.x, time: segment.start, anchor, to });
    }
  }
  if (segments.length) {
    ticks.push({ x: width, time: segments[segments.length - 1].end, anchor: 'end', now: open });
  }
  const axis = svg('g', { class: 'axis' },
    svg('line', { x1: 0, x2: width, y1: BAR_TOP + BAR_HEIGHT + 2, y2: BAR_TOP + BAR_HEIGHT + 2 }),
    ticks.map((tick) => svg('g', {},
      svg('line', { x1: tick.x, x2: tick.x, y1: BAR_TOP + BAR_HEIGHT, y2: BAR_TOP + BAR_HEIGHT + 6 }),
      svg('text', { x: tick.x, y: BAR_TOP + BAR_HEIGHT + 19, 'text-anchor': tick.anchor },
        svg('title', {}, utcText(tick.time)),
        tick.now ? 'now' : axisText(tick.time, span)))));

  const picture = svg('svg', {
    viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'group',
    'aria-label': `Phase timeline: ${segments.length} phases reached, ${failures.length} failed attempts`,
    dataset: { entries: ordered.length, segments: segments.length, failed: failures.length },
  }, bars, failures, axis);
  // So is a log the user opened.
  const table = logTable(ordered);
  table.open = container.querySelector('details')?.open ?? false;
  container.replaceChildren(picture, detail, table);
  if (focused !== undefined) {
    picture.querySelector(`[data-key="${focused}"]`)?.focus();
  }
}
