// The list of workflows at /ui: newest first, a page at a time, each with its state, priority, creation time and
// how many of its taskforces are in each phase.
//
// A /v1 find answers oldest first, a page of up to USER_QUERY_MAX_BYTES at a time. To list newest first without
// reading every workflow, the list asks for time slices going back from now (or from the last row shown), an hour
// first and four times longer each time, until it has a page's worth (and one more, to know whether there are older
// ones). A slice is usually one small answer, since only a few fields of each workflow are asked for.

import { findAll, ServiceError, setUpTokenControls } from './api.js';
import { byId, el, say } from './dom.js';
import { phaseCounts, stateQuery, workflowState } from './model.js';
import { nowSeconds, timeElement } from './time.js';

const FIELDS = ['workflow_id', 'timestamp', 'priority', 'deactivated', 'deactivated_ts'];
const FIRST_SLICE_SECONDS = 3600;
const SLICE_GROWTH = 4;

const params = new URLSearchParams(location.search);
const pageSize = Math.min(500, Math.max(1, Number.parseInt(params.get('page_size') ?? '', 10) || 25));

const rows = byId('workflows').tBodies[0];
const status = byId('list-status');
const filterText = byId('filter-text');
const filterState = byId('filter-state');
const newest = byId('newest');
const newer = byId('newer');
const older = byId('older');
const pageLabel = byId('page-label');

// Where each page shown so far starts (null: the newest); the last is the page on screen.
let starts = [null];
let nextStart = null;
let shown = [];
let loading = 0;

/** Older than the row (timestamp, id) a page ended with: ties in time are broken by id, as the ids order them. */
function olderThan(start) {
  return {
    $or: [
      { timestamp: { $lt: start.timestamp } },
      { timestamp: start.timestamp, workflow_id: { $lt: start.workflow_id } },
    ],
  };
}

/** The newest `want` workflows older than `start` (or the newest of all), and whether there are more. */
async function newestWorkflows(start, state, want) {
  const found = [];
  let upper = start ? olderThan(start) : null;
  let lower = (start ? start.timestamp : nowSeconds()) - FIRST_SLICE_SECONDS;
  let span = FIRST_SLICE_SECONDS;
  for (;;) {
    const conditions = state ? [stateQuery(state)] : [];
    if (lower > 0) {
      conditions.push({ timestamp: { $gte: lower } });
    }
    if (upper) {
      conditions.push(upper);
    }
    const query = conditions.length === 0 ? {} : { $and: conditions };
    found.push(...await findAll('workflows', { query, projection: FIELDS }));
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

/** Hides the rows the filter box does not match: by id, state or phase, within the page on screen. */
function applyFilter() {
  const words = filterText.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  let visible = 0;
  for (const tr of rows.rows) {
    const text = `${tr.dataset.workflowId} ${tr.dataset.state} ${tr.dataset.phaseCounts}`.toLowerCase();
    tr.hidden = !words.every((w) => text.includes(w));
    visible += tr.hidden ? 0 : 1;
  }
  if (shown.length === 0) {
    say(status, filterState.value ? `No ${filterState.value} workflows here.` : 'No workflows here.');
  } else if (words.length > 0) {
    say(status, `${visible} of the ${shown.length} workflows on this page match “${filterText.value.trim()}”.`);
  } else {
    say(status, `${shown.length} workflow${shown.length === 1 ? '' : 's'}, newest first.`);
  }
}

async function show() {
  const ticket = ++loading;
  const start = starts[starts.length - 1];
  say(status, 'Loading…');
  newest.disabled = newer.disabled = older.disabled = true;
  try {
    const { workflows, more } = await newestWorkflows(start, filterState.value, pageSize);
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
    applyFilter();
  } catch (failure) {
    if (ticket !== loading) {
      return;
    }
    const why = failure instanceof ServiceError ? failure.message : String(failure);
    say(status, `The workflows could not be read: ${why}`, true);
    newer.disabled = newest.disabled = starts.length === 1;
  }
}

function rememberState() {
  const url = new URL(location.href);
  if (filterState.value) {
    url.searchParams.set('state', filterState.value);
  } else {
    url.searchParams.delete('state');
  }
  history.replaceState(null, '', url);
}

setUpTokenControls();
filterState.value = ['active', 'finished', 'aborted'].includes(params.get('state')) ? params.get('state') : '';
filterText.value = params.get('q') ?? '';
byId('filters').addEventListener('submit', (event) => event.preventDefault());
filterText.addEventListener('input', applyFilter);
filterState.addEventListener('change', () => {
  starts = [null];
  rememberState();
  show();
});
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
show();
