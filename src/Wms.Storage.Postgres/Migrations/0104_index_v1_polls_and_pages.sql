-- What /v1 reads from the index: taskforces offered by schedd alone, ordered by their own priority; launch control
-- ordered by that priority first; and finds read in pages, in (timestamp, id) order, resumed from a position.

-- A taskforce's own priority. Every row written before is a /v0 taskforce, which TaskforceDocument reads back with
-- Priorities.Unrecorded; the default gives those rows that value without rewriting the table.
ALTER TABLE public.wms_index_taskforce ADD COLUMN tf_priority integer NOT NULL DEFAULT 10;

-- Task directives had no timestamp column, as nothing selected on it. Rows written before take it from their
-- document: the serialiser writes a double's shortest round-trip digits and jsonb keeps them as written, so the
-- text converts back to the very double the grain held.
ALTER TABLE public.wms_index_task_directive ADD COLUMN timestamp double precision;
UPDATE public.wms_index_task_directive SET timestamp = (doc ->> 'timestamp')::double precision;
ALTER TABLE public.wms_index_task_directive ALTER COLUMN timestamp SET NOT NULL;

-- The /v1 polls, as the /v0 ones without the collector: a poll reads its schedd's entries in offer order and
-- checks the retry limit on them, so taskforces past it never cost a heap visit.
CREATE INDEX wms_index_taskforce_schedd_starter
    ON public.wms_index_taskforce (schedd, tf_priority DESC, submit_failures, timestamp, id)
    WHERE phase = 'pending-starter';

CREATE INDEX wms_index_taskforce_schedd_stopper
    ON public.wms_index_taskforce (schedd, timestamp, id, rm_failures)
    WHERE phase = 'pending-stopper' AND has_cluster_id;

-- A /v1 poll could also be answered from the /v0 poll's index of its phase: the whole index read for the schedd's
-- entries, then sorted. Statistics taken while the phase was empty make that look as cheap as reading one entry of
-- the poll's own index, and with one collector for every taskforce (as /v1 has) it looked cheaper: measured, 6 ms
-- instead of 0.15 ms for a schedd with 150 waiting. A /v0 index now holds only what its predicate says, which
-- the /v0 poll proves from its condition on the collector and a /v1 poll, having none, cannot: the planner no
-- longer considers it for one. Every row has a collector, so the entries are the same as before.
DROP INDEX public.wms_index_taskforce_starter;
CREATE INDEX wms_index_taskforce_starter
    ON public.wms_index_taskforce (collector, schedd, priority DESC, submit_failures, timestamp, id)
    WHERE phase = 'pending-starter' AND collector IS NOT NULL;

DROP INDEX public.wms_index_taskforce_stopper;
CREATE INDEX wms_index_taskforce_stopper
    ON public.wms_index_taskforce (collector, schedd, timestamp, id, rm_failures)
    WHERE phase = 'pending-stopper' AND has_cluster_id AND collector IS NOT NULL;

-- Launch control's queue in TaskforceSelection.LaunchOrder: the taskforce's priority, then the worker priority.
DROP INDEX public.wms_index_taskforce_launch;
CREATE INDEX wms_index_taskforce_launch
    ON public.wms_index_taskforce (tf_priority DESC, priority DESC, timestamp, id)
    WHERE phase = 'pre-launch';

-- Pages: each chunk of a page starts at its position in these and reads on in order. Timestamps never change
-- after creation, so the taskforce's status updates still change no indexed column and stay HOT.
CREATE INDEX wms_index_workflow_page ON public.wms_index_workflow (timestamp, id);
CREATE INDEX wms_index_task_directive_page ON public.wms_index_task_directive (timestamp, id);
CREATE INDEX wms_index_taskforce_page ON public.wms_index_taskforce (timestamp, id);
