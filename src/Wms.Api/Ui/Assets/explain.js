// A taskforce's explanation (GET /v1/.../explain) in words: what it waits for and since when, what the user can do,
// and the evidence the service based that on, each field in words.

import { el } from './dom.js';
import { durationText, timeElement } from './time.js';

/** "last_poll_ts" → "last poll". */
function fieldName(key) {
  return key.replace(/_ts$/, '').replace(/_/g, ' ');
}

function value(key, item) {
  if (item === null || item === undefined) {
    return key === 'last_poll_ts' ? 'never' : '—';
  }
  if (typeof item === 'number' && key.endsWith('_ts')) {
    return timeElement(item);
  }
  if (typeof item === 'number' && key.includes('seconds')) {
    return `${durationText(item)} (${item} s)`;
  }
  if (Array.isArray(item)) {
    return item.length === 0
      ? 'none'
      : el('ul', {}, item.map((entry) => el('li', {}, entryText(entry))));
  }
  if (typeof item === 'object') {
    const pairs = Object.entries(item);
    return pairs.length === 0
      ? 'none'
      : el('ul', {}, pairs.map(([name, inner]) => el('li', {}, `${name}: `, innerText(inner))));
  }
  return String(item);
}

/** A nested value, such as the pilot statuses of one HTCondor status: "Tasking 36, no pilot status 1". */
function innerText(inner) {
  if (inner === null || typeof inner !== 'object') {
    return String(inner);
  }
  return Object.entries(inner)
    .map(([name, n]) => `${name === 'null' ? 'no pilot status' : name} ${typeof n === 'object' ? JSON.stringify(n) : n}`)
    .join(', ');
}

/** An item of an evidence list: {timestamp, error} reads as "time: error". */
function entryText(entry) {
  if (entry && typeof entry === 'object' && 'error' in entry) {
    return [typeof entry.timestamp === 'number' ? timeElement(entry.timestamp) : null, ': ', String(entry.error)];
  }
  return typeof entry === 'object' ? JSON.stringify(entry) : String(entry);
}

/** The explanation as an element; null (no explain route, or none for this taskforce) says it is not available. */
export function explanationElement(explanation) {
  if (!explanation) {
    return el('p', { class: 'unavailable', dataset: { reason: 'none' } },
      'No explanation is available from this service.');
  }
  const evidence = Object.entries(explanation.evidence ?? {});
  return el('div', { class: 'explanation', dataset: { reason: explanation.reason } },
    el('p', { class: 'message' }, explanation.message),
    el('p', { class: 'reason' },
      'Reason ', el('code', {}, explanation.reason),
      typeof explanation.since === 'number' ? [', since ', timeElement(explanation.since)] : null, '.'),
    explanation.action ? el('p', { class: 'action' }, el('strong', {}, 'What you can do: '), explanation.action) : null,
    evidence.length
      ? el('dl', { class: 'evidence', 'aria-label': 'Evidence' },
        evidence.map(([key, item]) => [el('dt', {}, fieldName(key)), el('dd', {}, value(key, item))]))
      : null);
}
