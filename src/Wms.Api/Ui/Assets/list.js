// The list of workflows at /ui: newest first, a page at a time, each with its state, priority, creation time and
// how many of its taskforces are in each phase.
//
// A /v1 find answers oldest first, a page of up to USER_QUERY_MAX_BYTES at a time. To list newest first without
// reading every workflow, the list asks for time slices going back from now (or from the last row shown), an hour
// first and four times longer each time, until it has a page's worth (and one more, to know whether there are older
// ones). A slice is usually one small answer, since only a few fields of each workflow are asked for.
//
// Every filter is part of the find, so it holds over all pages: the state, the start of the workflow id, and whose
// workflows ("mine": those the caller created, the default when the service asks for a token).

import { authenticationIsOn, findAll, ServiceError, setUpTokenControls } from './api.js';
import { byId, el, say } from './dom.js';
import { phaseCounts, stateQuery, workflowState } from './model.js';
import { nowSeconds, timeElement } from './time.js';

const FIELDS = ['workflow_id', 'timestamp', 'priority', 'deactivated', 'deactivated_ts'];
const FIRST_SLICE_SECONDS = 3600;
const SLICE_GROWTH = 4;
// How long typing may pause before the id filter asks the service.
const TYPING_PAUSE_MS = 250;

const params = new URLSearchParams(location.search);
const pageSize = Math.min(500, Math.max(1, Number.parseInt(params.get('page_size') ?? '', 10) || 25));

const rows = byId('workflows').tBodies[0];
const status = byId('list-status');
const filterText = byId('filter-text');
const filterState = byId('filter-state');
const filterOwner = byId('filter-owner');
const newest = byId('newest');
const newer = byId('newer');
const older = byId('older');
const pageLabel = byId('page-label');

// Where each page shown so far starts (null: the newest); the last is the page on screen.
let starts = [null];
let nextStart = null;
let shown = [];
let loading = 0;
let typing = null;

/** Older than the row (timestamp, id) a page ended with: ties in time are broken by id, as the ids order them. */
function olderThan(start) {
  return {
    $or: [
      { timestamp: { $lt: start.timestamp } },
      { timestamp: start.timestamp, workflow_id: { $lt: start.workflow_id } },
    ],
  };
}

/**
 * What the id box asks for: the ids that start with its text, "WF-" included or not. Workflow ids hold only letters,
 * digits and dashes, all before "~", so the ids from the text up to the text and "~" are exactly those.
 */
function idPrefix(text) {
  const typed = text.trim();
  if (!typed) {
    return null;
  }
  // "W" or "wf" on the way to "WF-": every id starts so.
  if ('wf-'.startsWith(typed.toLowerCase())) {
    return 'WF-';
  }
  return /^wf-/i.test(typed) ? `WF-${typed.slice(3)}` : `WF-${typed}`;
}

function idQuery(prefix) {
  return { workflow_id: { $gte: prefix, $lt: `${prefix}~` } };
}

/**
 * The newest `want` workflows older than `start` (or the newest of all), and whether there are more: of the given
 * state and id prefix when set, and only the caller's own when `mine`.
 */
async function newestWorkflows(start, { state, prefix, mine }, want) {
  const found = [];
  let upper = start ? olderThan(start) : null;
  let lower = (start ? start.timestamp : nowSeconds()) - FIRST_SLICE_SECONDS;
  let span = FIRST_SLICE_SECONDS;
  for (;;) {
    const conditions = state ? [stateQuery(state)] : [];
    if (prefix) {
      conditions.push(idQuery(prefix));
    }
    if (lower > 0) {
      conditions.push({ timestamp: { $gte: lower } });
    }
    if (upper) {
      conditions.push(upper);
    }
    const query = conditions.length === 0 ? {} : { $and: conditions };
    found.push(...await findAll('workflows', { query, projection: FIELDS, ...(mine ? { mine: true } : {}) }));
    if (found.length > want || lower <= 0) {
      break;
    }
    upper = { timestamp: { $lt: lower } };
    span *= SLICE_GROWTH;
    lower -= span;
  }
  found.sort((a, b) => b.timestamp - a.timestamp || (a.workflow_id < b.workflow_id ? 1 : -1));
  return { workflows: found.slice(0, want), more: found.length > want };
}

/** Phase → count for each of these workflows, from one find of their taskforces. */
async function countsByWorkflow(workflows) {
  const byWorkflow = new Map(workflows.map((w) => [w.workflow_id, []]));
  if (workflows.length === 0) {
    return byWorkflow;
  }
  const taskforces = await findAll('taskforces', {
    query: { workflow_id: { $in: workflows.map((w) => w.workflow_id) } },
    projection: ['workflow_id', 'phase'],
  });
  for (const taskforce of taskforces) {
    byWorkflow.get(taskforce.workflow_id)?.push(taskforce);
  }
  return new Map([...byWorkflow].map(([id, found]) => [id, phaseCounts(found)]));
}

function row(workflow, counts) {
  const state = workflowState(workflow);
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  return el('tr', {
    dataset: {
      workflowId: workflow.workflow_id,
      state,
      phaseCounts: counts.map(([phase, n]) => `${phase}=${n}`).join(','),
    },
  },
  el('th', { scope: 'row' },
    el('a', { href: `/ui/workflows/${encodeURIComponent(workflow.workflow_id)}` },
      el('code', {}, workflow.workflow_id))),
  el('td', { 'data-label': 'State' },
    el('span', { class: `state state-${state}` }, state),
    state === 'active' ? null : el('span', { class: 'state-when' }, timeElement(workflow.deactivated_ts))),
  el('td', { class: 'num', 'data-label': 'Priority' }, workflow.priority),
  el('td', { 'data-label': 'Created' }, timeElement(workflow.timestamp)),
  el('td', { 'data-label': 'Taskforces by phase' },
    total === 0
      ? el('span', { class: 'unavailable' }, 'none')
      : el('ul', { class: 'phase-counts', 'aria-label': `${total} taskforce${total === 1 ? '' : 's'}` },
        counts.map(([phase, n]) => el('li', { class: `ph ph-${phase}`, dataset: { phase, count: n } },
          `${phase} `, el('strong', {}, n))))));
}

/** The filters as the page holds them. */
function filters() {
  return { state: filterState.value, prefix: idPrefix(filterText.value), mine: filterOwner.value === 'mine' };
}

/** Says what the page shows: how many, of which state, whose and with which id. */
function describe({ state, prefix, mine }) {
  const whose = mine ? ' of yours' : '';
  const which = prefix ? ` whose id starts with “${prefix}”` : '';
  if (shown.length === 0) {
    say(status, `No ${state ? `${state} ` : ''}workflows${whose}${which} here.`);
  } else {
    const count = `${shown.length} ${state ? `${state} ` : ''}workflow${shown.length === 1 ? '' : 's'}`;
    say(status, `${count}${whose}${which}, newest first.`);
  }
}

async function show() {
  const ticket = ++loading;
  const start = starts[starts.length - 1];
  say(status, 'Loading…');
  newest.disabled = newer.disabled = older.disabled = true;
  try {
    const asked = filters();
    const { workflows, more } = await newestWorkflows(start, asked, pageSize);
    const counts = await countsByWorkflow(workflows);
    if (ticket !== loading) {
      return;
    }
    shown = workflows;
    rows.replaceChildren(...workflows.map((w) => row(w, counts.get(w.workflow_id) ?? [])));
    nextStart = more && workflows.length > 0 ? workflows[workflows.length - 1] : null;
    older.disabled = nextStart === null;
    newer.disabled = newest.disabled = starts.length === 1;
    pageLabel.textContent = `Page ${starts.length}`;
    describe(asked);
  } catch (failure) {
    if (ticket !== loading) {
      return;
    }
    const why = failure instanceof ServiceError ? failure.message : String(failure);
    say(status, `The workflows could not be read: ${why}`, true);
    newer.disabled = newest.disabled = starts.length === 1;
  }
}

/** Keeps the filters in the address, so that a reload or a shared link shows the same list. */
function rememberFilters() {
  const url = new URL(location.href);
  const set = (name, value) => (value ? url.searchParams.set(name, value) : url.searchParams.delete(name));
  set('state', filterState.value);
  set('q', filterText.value.trim());
  url.searchParams.set('mine', filterOwner.value === 'mine' ? '1' : '0');
  history.replaceState(null, '', url);
}

/** From the newest again, with the filters as they now are. */
function restart() {
  clearTimeout(typing);
  starts = [null];
  rememberFilters();
  show();
}

setUpTokenControls();
filterState.value = ['active', 'finished', 'aborted'].includes(params.get('state')) ? params.get('state') : '';
filterText.value = params.get('q') ?? '';
byId('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  restart();
});
filterText.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(restart, TYPING_PAUSE_MS);
});
filterState.addEventListener('change', restart);
filterOwner.addEventListener('change', restart);
older.addEventListener('click', () => {
  if (nextStart) {
    starts.push(nextStart);
    show();
  }
});
newer.addEventListener('click', () => {
  if (starts.length > 1) {
    starts.pop();
    show();
  }
});
newest.addEventListener('click', () => {
  starts = [null];
  show();
});

// Mine unless the address says otherwise, when the service asks for a token: with authentication off every
// workflow is everyone's.
const mineParam = params.get('mine');
filterOwner.value = (mineParam === null ? await authenticationIsOn() : mineParam === '1') ? 'mine' : 'all';
rememberFilters();
show();
