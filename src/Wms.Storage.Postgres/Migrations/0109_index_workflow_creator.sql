-- Who created each workflow (IndexBatch.Creators): the authenticated subject that submitted it, or null when
-- authentication was off. The wire document does not show it; a find of "mine" selects on it.
ALTER TABLE public.wms_index_workflow ADD COLUMN created_by text COLLATE "C";

-- Rows written before take it from where the service wrote it down: the first log entry of each taskforce made with
-- its workflow names the caller after the creation text of either generation (PhaseLog.Creation and PhaseLog.By:
-- "During initial workflow creation. (by alice)"). Taskforces added later carry another text, naming who added
-- them, and do not count. A workflow whose entries name nobody was created with authentication off: null.
UPDATE public.wms_index_workflow AS w
SET created_by = c.subject
FROM (
    SELECT DISTINCT ON (workflow_id) workflow_id,
        substring(doc -> 'phase_change_log' -> 0 ->> 'description'
            FROM '^(?:During initial workflow creation\.|Created during initial workflow request\.) \(by (.*)\)$')
            AS subject
    FROM public.wms_index_taskforce
    WHERE doc -> 'phase_change_log' -> 0 ->> 'description'
        ~ '^(?:During initial workflow creation\.|Created during initial workflow request\.) \(by .*\)$'
    ORDER BY workflow_id, timestamp, id
) AS c
WHERE c.workflow_id = w.id;

-- One creator's workflows in page order: a page of "mine" starts at its position here and reads on. The column never
-- changes after creation, so a workflow's updates still change no column of this index.
CREATE INDEX wms_index_workflow_creator_page ON public.wms_index_workflow (created_by, timestamp, id);
