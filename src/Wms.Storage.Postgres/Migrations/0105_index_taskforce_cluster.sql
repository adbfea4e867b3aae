-- The TMS's event-log watcher finds the taskforce of each HTCondor cluster it sees with a find on
-- {schedd, job_event_log_fpath, cluster_id}. Outside the polls' phases no index held the schedd first, so each such
-- find read every taskforce the schedd ever had: tens of milliseconds at a few thousand, growing with the history.
--
-- The cluster id is a column the database derives from the document itself, so that every writer fills it, a silo
-- of the version before this migration included, and the column can never disagree with the document it stands
-- for. A find's equality on cluster_id also tests the column (IndexTable.IntegerColumns), which this index answers.
-- The id of a submitted cluster never changes afterwards, so status updates leave the column as it is and stay HOT.
-- Adding a stored generated column rewrites the table once, under an exclusive lock: a few seconds per million rows.
ALTER TABLE public.wms_index_taskforce ADD COLUMN cluster_id bigint GENERATED ALWAYS AS (
    CASE WHEN jsonb_typeof(doc -> 'cluster_id') = 'number'
            AND (doc -> 'cluster_id')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
            AND (doc -> 'cluster_id')::numeric = trunc((doc -> 'cluster_id')::numeric)
        THEN (doc -> 'cluster_id')::numeric::bigint
    END) STORED;

-- By cluster first: HTCondor numbers clusters per schedd, so a find by cluster id alone finds a handful of rows
-- here too, and the watcher's schedd narrows them to one.
CREATE INDEX wms_index_taskforce_cluster ON public.wms_index_taskforce (cluster_id, schedd) WHERE cluster_id IS NOT NULL;
