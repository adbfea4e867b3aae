// A workflow's page at /ui/workflows/{id}: the workflow's facts, and for each taskforce its phase timeline, its
// workers now, its status history as a plot, its top task errors and the service's explanation of what it waits
// for. The page then follows the workflow's events stream and updates each part as the service reports changes.

import { call, findAll, segment, ServiceError, setUpTokenControls } from './api.js';
import { byId, el, say } from './dom.js';
import { explanationElement } from './explain.js';
import { watch } from './live.js';
import { logReason, phaseCounts, sameStatuses, workflowState } from './model.js';
import { renderPlot } from './plot.js';
import { timeElement } from './time.js';
import { renderTimeline } from './timeline.js';

const HISTORY_READS_AT_ONCE = 4;
const TIMELINE_REFRESH_MS = 60_000;

const workflowId = decodeURIComponent(location.pathname.replace(/^\/ui\/workflows\//, '').replace(/\/+$/, ''));
const status = byId('page-status');
const list = byId('taskforces');
const live = byId('live');

let workflow = null;
let workflowExplanation = null;
let explainAvailable = true;
const directives = new Map();
/** uuid → { doc, history, explanation, parts } */
const views = new Map();

/** The workflow's explanation, or null when the service has none to give (no explain route yet: 404). */
async function readExplanation() {
  try {
    const explanation = await call('GET', `/v1/workflows/${segment(workflowId)}/explain`);
    explainAvailable = true;
    return explanation;
  } catch (failure) {
    if (failure instanceof ServiceError) {
      explainAvailable = false;
      return null;
    }
    throw failure;
  }
}

/** A taskforce's status history, oldest first; null when it could not be read. */
async function readHistory(uuid) {
  try {
    return (await call('GET', `/v1/taskforces/${segment(uuid)}/status-history`)).history;
  } catch (failure) {
    if (failure instanceof ServiceError) {
      return null;
    }
    throw failure;
  }
}

/** Runs `work` over the items, a few at a time. */
async function inTurns(items, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HISTORY_READS_AT_ONCE, items.length) }, worker));
  return results;
}

function fact(name, ...value) {
  return [el('dt', {}, name), el('dd', {}, ...value)];
}

function phaseSummary() {
  const counts = phaseCounts([...views.values()].map((v) => v.doc));
  return counts.map(([phase, n]) => `${n} ${phase}`).join(', ');
}

function renderFacts() {
  const state = workflowState(workflow);
  byId('facts').replaceChildren(...[
    fact('State', el('span', { class: `state state-${state}`, id: 'workflow-state' }, state),
      state === 'active' ? null : [' since ', timeElement(workflow.deactivated_ts)]),
    fact('Priority', String(workflow.priority)),
    fact('Created', timeElement(workflow.timestamp)),
    fact('Taskforces', `${views.size}${views.size ? ` (${phaseSummary()})` : ''}`),
    [...directives.values()].map((task) => fact('Task',
      el('code', { class: 'block' }, task.task_id),
      el('code', { class: 'block' }, task.task_image),
      el('code', { class: 'block muted' }, task.task_args))),
  ].flat(Infinity));
}

function renderSummary() {
  const summary = byId('summary');
  if (workflowExplanation?.summary) {
    summary.textContent = workflowExplanation.summary;
  } else {
    summary.textContent = `${views.size} taskforce${views.size === 1 ? '' : 's'}` +
      `${views.size ? `: ${phaseSummary()}` : ''}. An explanation of what they wait for is not available from this service.`;
  }
}

function statusesTable(doc) {
  const rows = Object.entries(doc.compound_statuses ?? {})
    .flatMap(([condor, pilots]) => Object.entries(pilots ?? {}).map(([pilot, n]) => [condor, pilot, n]));
  if (rows.length === 0) {
    return el('p', { class: 'unavailable' }, 'No workers reported.');
  }
  return el('table', { class: 'statuses' },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'HTCondor'), el('th', { scope: 'col' }, 'Pilot'),
      el('th', { scope: 'col', class: 'num' }, 'Workers'))),
    el('tbody', {}, rows.map(([condor, pilot, n]) => el('tr', { dataset: { condor, pilot, count: n } },
      el('td', {}, condor), el('td', {}, pilot === 'null' ? '—' : pilot), el('td', { class: 'num' }, n)))));
}

function errorsTable(doc) {
  const errors = Object.entries(doc.top_task_errors ?? {}).sort(([, a], [, b]) => b - a);
  if (errors.length === 0) {
    return el('p', { class: 'unavailable' }, 'None reported.');
  }
  return el('table', { class: 'errors' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Error'), el('th', { scope: 'col', class: 'num' }, 'Count'))),
    el('tbody', {}, errors.map(([error, n]) => el('tr', {}, el('td', {}, el('code', {}, error)),
      el('td', { class: 'num' }, n)))));
}

function taskforceFacts(doc) {
  const task = directives.get(doc.task_id);
  return [
    fact('Task', el('code', {}, doc.task_id), task ? [' ', el('code', {}, task.task_image)] : null),
    fact('Schedd', doc.schedd),
    fact('HTCondor cluster', doc.cluster_id === null || doc.cluster_id === undefined ? 'not submitted' : String(doc.cluster_id)),
    fact('Workers', doc.n_workers === null || doc.n_workers === undefined ? '—' : String(doc.n_workers)),
    fact('Priority', doc.priority === undefined ? '—' : String(doc.priority)),
    fact('Created', timeElement(doc.timestamp)),
  ].flat();
}

function flash(node) {
  node.classList.remove('changed');
  // Read layout so that the animation starts again.
  void node.offsetWidth;
  node.classList.add('changed');
}

/** Builds a taskforce's article and puts it on the page (its plots need the page's width). */
function addTaskforce(view) {
  const doc = view.doc;
  const headingId = `tfh-${doc.taskforce_uuid}`;
  const parts = {
    phase: el('span', { class: `ph ph-${doc.phase}` }),
    facts: el('dl', { class: 'facts' }),
    explanation: el('div', { class: 'explain-body' }),
    timeline: el('div', { class: 'timeline-body' }),
    now: el('div', { class: 'now-body' }),
    errors: el('div', { class: 'errors-body' }),
    plot: el('div', { class: 'plot-body' }),
  };
  view.parts = parts;
  view.article = el('article', {
    class: 'taskforce', id: `tf-${doc.taskforce_uuid}`, 'aria-labelledby': headingId,
    dataset: { taskforceUuid: doc.taskforce_uuid },
  },
  el('header', {}, el('h3', { id: headingId }, doc.schedd), parts.phase, el('code', {}, doc.taskforce_uuid)),
  parts.facts,
  el('div', { class: 'columns' },
    el('section', { class: 'explain wide' }, el('h4', {}, 'Why'), parts.explanation),
    el('section', { class: 'timeline wide' }, el('h4', {}, 'Phases'), parts.timeline),
    el('section', { class: 'now' }, el('h4', {}, 'Workers now'), parts.now),
    el('section', { class: 'errors' }, el('h4', {}, 'Top task errors'), parts.errors),
    el('section', { class: 'plot wide' }, el('h4', {}, 'Status history'), parts.plot)));
  list.append(view.article);
  renderTaskforce(view, { plot: true, explanation: true });
}

function renderTaskforce(view, { plot = false, explanation = false } = {}) {
  const { doc, parts } = view;
  view.article.dataset.phase = doc.phase;
  parts.phase.className = `ph ph-${doc.phase}`;
  parts.phase.textContent = doc.phase;
  parts.facts.replaceChildren(...taskforceFacts(doc));
  parts.now.replaceChildren(statusesTable(doc));
  parts.errors.replaceChildren(errorsTable(doc));
  renderTimeline(parts.timeline, doc);
  if (explanation) {
    parts.explanation.replaceChildren(explanationElement(view.explanation));
    if (!view.explanation && explainAvailable) {
      parts.explanation.replaceChildren(el('p', { class: 'unavailable' }, 'The service gave no explanation of this taskforce.'));
    }
  }
  if (plot) {
    if (view.history === null) {
      parts.plot.replaceChildren(el('p', { class: 'unavailable' }, 'The status history is not available.'));
    } else {
      renderPlot(parts.plot, view.history);
    }
  }
}

/** A taskforce the page has not shown yet (workers added since it loaded): read it whole and add it. */
async function addNewTaskforce(uuid) {
  const doc = await call('GET', `/v1/taskforces/${segment(uuid)}`);
  if (views.has(uuid)) {
    return;
  }
  const view = { doc, history: await readHistory(uuid), explanation: null };
  views.set(uuid, view);
  addTaskforce(view);
  renderFacts();
}

/** Applies a taskforce summary (a `taskforce` event, or one of a snapshot's) to what the page shows. */
function applySummary(summary, fromSnapshot) {
  const view = views.get(summary.taskforce_uuid);
  if (!view) {
    addNewTaskforce(summary.taskforce_uuid).catch((failure) => console.info('taskforce not read:', failure.message));
    return;
  }
  const doc = view.doc;
  const statusesChanged = !sameStatuses(doc.compound_statuses, summary.compound_statuses) ||
    JSON.stringify(doc.top_task_errors ?? {}) !== JSON.stringify(summary.top_task_errors ?? {});
  for (const key of ['phase', 'schedd', 'cluster_id', 'n_workers', 'compound_statuses', 'top_task_errors']) {
    if (key in summary) {
      doc[key] = summary[key];
    }
  }
  const entry = summary.last_log;
  const log = doc.phase_change_log ?? (doc.phase_change_log = []);
  if (entry && !log.some((e) => e.timestamp === entry.timestamp && e.target_phase === entry.target_phase &&
    e.was_successful === entry.was_successful && logReason(e) === logReason(entry))) {
    log.push(entry);
  }
  // The service keeps a history entry only for a report that changed something: so does the page.
  let plot = false;
  if (statusesChanged) {
    if (fromSnapshot) {
      // What changed while the page was not listening is in the history: read it again.
      readHistory(doc.taskforce_uuid).then((history) => {
        view.history = history;
        renderTaskforce(view, { plot: true });
      });
    } else if (view.history !== null) {
      view.history.push({
        timestamp: summary.timestamp,
        compound_statuses: summary.compound_statuses ?? {},
        top_task_errors: summary.top_task_errors ?? {},
      });
      plot = true;
    }
  }
  renderTaskforce(view, { plot });
  if (!fromSnapshot) {
    flash(view.article.querySelector('header'));
  }
}

let snapshots = 0;

function onEvent(type, data) {
  let body;
  try {
    body = JSON.parse(data);
  } catch {
    console.info(`a ${type} event that is not JSON was skipped`);
    return;
  }
  switch (type) {
    case 'snapshot':
      snapshots += 1;
      if (body.workflow) {
        workflow = body.workflow;
      }
      for (const summary of body.taskforces ?? []) {
        applySummary(summary, true);
      }
      renderFacts();
      // A snapshot after a drop: explanations may have moved on meanwhile too.
      if (snapshots > 1) {
        refreshExplanations();
      }
      break;
    case 'taskforce':
      applySummary(body, false);
      renderFacts();
      renderSummary();
      break;
    case 'workflow':
      if (body.workflow) {
        workflow = body.workflow;
        renderFacts();
      }
      break;
    case 'explain': {
      const view = views.get(body.taskforce_uuid);
      if (view) {
        view.explanation = body;
        renderTaskforce(view, { explanation: true });
        flash(view.parts.explanation);
      }
      scheduleSummaryRefresh();
      break;
    }
    default:
      break;
  }
}

async function refreshExplanations() {
  const explanation = await readExplanation();
  workflowExplanation = explanation;
  for (const item of explanation?.taskforces ?? []) {
    const view = views.get(item.taskforce_uuid);
    if (view) {
      view.explanation = item;
      renderTaskforce(view, { explanation: true });
    }
  }
  renderSummary();
}

let summaryTimer = null;

/** The workflow's one-line summary follows its taskforces' explanations, read again shortly after they change. */
function scheduleSummaryRefresh() {
  clearTimeout(summaryTimer);
  summaryTimer = setTimeout(async () => {
    if (explainAvailable) {
      workflowExplanation = await readExplanation();
      renderSummary();
    }
  }, 1000);
}

function startLive() {
  watch(`/v1/workflows/${segment(workflowId)}/events`, {
    onEvent,
    onState(state, text) {
      live.dataset.state = state;
      live.textContent = text;
    },
  });
}

/** Redraws the pictures when the page's width changes, and the open phase of each timeline as time passes. */
function keepPicturesFitting() {
  let width = list.clientWidth;
  let pending = false;
  new ResizeObserver(() => {
    if (pending || list.clientWidth === width) {
      return;
    }
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      width = list.clientWidth;
      for (const view of views.values()) {
        renderTaskforce(view, { plot: true });
      }
    });
  }).observe(list);
  setInterval(() => {
    for (const view of views.values()) {
      renderTimeline(view.parts.timeline, view.doc);
    }
  }, TIMELINE_REFRESH_MS);
}

async function load() {
  byId('workflow-id').textContent = workflowId;
  document.title = `${workflowId} · WMS`;
  try {
    workflow = await call('GET', `/v1/workflows/${segment(workflowId)}`);
  } catch (failure) {
    say(status, failure instanceof ServiceError ? `The workflow could not be read: ${failure.message}` : String(failure), true);
    live.dataset.state = 'unavailable';
    live.textContent = 'Not watching';
    return;
  }
  say(status, 'Loading its taskforces…');
  const [taskforces, tasks, explanation] = await Promise.all([
    findAll('taskforces', { query: { workflow_id: workflowId } }),
    findAll('task-directives', {
      query: { workflow_id: workflowId }, projection: ['task_id', 'task_image', 'task_args'],
    }),
    readExplanation(),
  ]);
  taskforces.sort((a, b) => a.timestamp - b.timestamp || (a.taskforce_uuid < b.taskforce_uuid ? -1 : 1));
  for (const task of tasks) {
    directives.set(task.task_id, task);
  }
  workflowExplanation = explanation;
  const explanations = new Map((explanation?.taskforces ?? []).map((e) => [e.taskforce_uuid, e]));
  const histories = await inTurns(taskforces, (tf) => readHistory(tf.taskforce_uuid));
  byId('workflow').hidden = false;
  taskforces.forEach((doc, i) => {
    const view = { doc, history: histories[i], explanation: explanations.get(doc.taskforce_uuid) ?? null };
    views.set(doc.taskforce_uuid, view);
    addTaskforce(view);
  });
  renderFacts();
  renderSummary();
  say(status, taskforces.length ? '' : 'This workflow has no taskforces.');
  keepPicturesFitting();
  startLive();
}

setUpTokenControls();
load().catch((failure) => say(status, `The page could not be shown: ${failure.message ?? failure}`, true));
