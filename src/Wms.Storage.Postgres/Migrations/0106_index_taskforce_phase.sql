-- Operators' gauges count the taskforces in each phase every few seconds (IObjectIndex.CountTaskforcesByPhaseAsync).
-- The table's rows are a few KB each, so counting them means reading the whole table, which grows with everything
-- ever stored. The workflow index now carries each taskforce's phase as well, so the count can be read from that
-- index alone (a fiftieth of the table's size) wherever the table's pages are all visible, as vacuum leaves them.
--
-- The phase is a payload of that index, not a key: an index keyed on the phase is one the TMS polls would take
-- whenever stale statistics say their phase is empty at a schedd, reading and sorting every taskforce of it
-- (SelectionPlanTests, and migration 0103 for the same trap). A phase change already writes an entry in every
-- index of the table (the phase is in the poll indexes' predicates); a status update, which keeps the phase,
-- still changes no indexed column and stays HOT.
DROP INDEX public.wms_index_taskforce_workflow;
CREATE INDEX wms_index_taskforce_workflow ON public.wms_index_taskforce (workflow_id) INCLUDE (phase);
