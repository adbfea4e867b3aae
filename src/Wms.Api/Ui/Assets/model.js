// What the pages say about the service's objects, in one place.

/** The taskforce phases in the order a taskforce passes them. */
export const PHASES = [
  'pre-mq-activation', 'pre-launch', 'pending-starter', 'condor-submit', 'pending-stopper', 'condor-rm',
  'condor-complete',
];

/** A workflow's state, from its deactivation: active, finished or aborted. */
export function workflowState(workflow) {
  switch (workflow.deactivated) {
    case null:
    case undefined:
      return 'active';
    case 'FINISHED':
      return 'finished';
    case 'ABORTED':
      return 'aborted';
    default:
      return String(workflow.deactivated).toLowerCase();
  }
}

/** The find filter of a state, as the service stores it. */
export function stateQuery(state) {
  switch (state) {
    case 'active':
      return { deactivated: null };
    case 'finished':
      return { deactivated: 'FINISHED' };
    case 'aborted':
      return { deactivated: 'ABORTED' };
    default:
      return {};
  }
}

/** Phase → how many, in phase order, for the phases present. */
export function phaseCounts(taskforces) {
  const counts = new Map();
  for (const taskforce of taskforces) {
    counts.set(taskforce.phase, (counts.get(taskforce.phase) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a], [b]) => phaseOrder(a) - phaseOrder(b));
}

function phaseOrder(phase) {
  const at = PHASES.indexOf(phase);
  return at < 0 ? PHASES.length : at;
}

/** A log entry's reason: /v1 calls it context, /v0 description. */
export function logReason(entry) {
  return entry.context ?? entry.description ?? '';
}

/** "RUNNING: Tasking": a compound status as one name. The TMS reports a worker without a pilot status as "null". */
export function compoundName(condorStatus, pilotStatus) {
  return pilotStatus === 'null' ? `${condorStatus}: no pilot status` : `${condorStatus}: ${pilotStatus}`;
}

/** Compound status name → count, from {condor status: {pilot status: count}}. */
export function flattenStatuses(compound) {
  const flat = new Map();
  for (const [condor, pilots] of Object.entries(compound ?? {})) {
    for (const [pilot, count] of Object.entries(pilots ?? {})) {
      flat.set(compoundName(condor, pilot), count);
    }
  }
  return flat;
}

/** Whether two compound status maps say the same. */
export function sameStatuses(a, b) {
  const left = flattenStatuses(a);
  const right = flattenStatuses(b);
  return left.size === right.size && [...left].every(([name, count]) => right.get(name) === count);
}
