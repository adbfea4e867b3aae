-- A taskforce's row (its wire JSON and the jsonb copy, about 3 KB together) is just over the 2 KB at which
-- PostgreSQL starts compressing a row's values and moving them out of line. Every write of a taskforce (a status
-- report is one) then compressed both values and stored a new TOAST entry, leaving the old one to vacuum: measured,
-- about half of the server's cost per taskforce written. Rows up to 4 KB now stay whole in the table; larger ones
-- are compressed and moved out as before. Storage only: no query sees a difference, and a row takes the new form
-- the next time it is written.
ALTER TABLE public.wms_index_taskforce SET (toast_tuple_target = 4096);
