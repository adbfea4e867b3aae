-- When each schedd's TMS last polled, per kind of poll (pending-starter, pending-stopper), across the cluster
-- (IScheddPollStore). Each silo notes its polls in memory and writes the pairs that changed every few seconds, in
-- one statement; an explanation reads the table and merges its own silo's notes in. One row per schedd and kind, so
-- the table holds as many rows as the pools have schedds, twice: it is read whole.
--
-- The time is epoch seconds, as every timestamp of the service. A write never moves a row back in time: two silos'
-- writes of the same pair may arrive in either order.
CREATE TABLE public.wms_schedd_poll (
    schedd    text COLLATE "C" NOT NULL,
    kind      text COLLATE "C" NOT NULL,
    polled_ts double precision NOT NULL,
    PRIMARY KEY (schedd, kind)
);
