-- The past of each taskforce's compound statuses and top task errors (IStatusHistory), which the taskforce's own
-- document replaces on each TMS report. One row per change, appended in groups; a taskforce's rows are thinned by
-- the retention rule (StatusHistoryRetention) whenever they pass its cap, so the table stays bounded.
--
-- The statuses are kept as the JSON text the service wrote, so that a read gives back the same members in the
-- same order. The id orders entries of the same timestamp as they were appended; it needs no index of its own
-- (every statement reaches rows by taskforce), and one fewer index is a cheaper insert per status change.
CREATE TABLE public.wms_status_history (
    id bigint GENERATED ALWAYS AS IDENTITY,
    taskforce_uuid text COLLATE "C" NOT NULL,
    timestamp double precision NOT NULL,
    compound_statuses text NOT NULL,
    top_task_errors text NOT NULL
);

-- A read and a trim take one taskforce's rows in order.
CREATE INDEX wms_status_history_taskforce ON public.wms_status_history (taskforce_uuid, timestamp, id);
