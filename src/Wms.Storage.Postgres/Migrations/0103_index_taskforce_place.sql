-- The location index carried the phase as its last column, so a TMS poll could also be answered from it: all the
-- schedd's taskforces in that phase, read from the table and sorted. The planner picks that path whenever its
-- statistics say the phase is rare at the schedd, and phases move much faster than statistics are refreshed: under
-- load it was measured reading and sorting 669 rows per poll (1.8 ms) instead of one entry of the poll's own index
-- (0.04 ms). Without the phase the location index can no longer look like the cheaper answer to a poll; finds by
-- location (the TMS's look-up by collector, schedd and event log) use it as before.
CREATE INDEX wms_index_taskforce_place ON public.wms_index_taskforce (collector, schedd);
DROP INDEX public.wms_index_taskforce_location;
