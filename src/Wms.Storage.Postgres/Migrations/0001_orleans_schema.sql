-- Orleans 10.4.2 ADO.NET providers (clustering, grain storage, reminders) on PostgreSQL: tables.
--
-- Everything Orleans uses lives in its own schema, "orleans". The providers have no schema option and name the
-- query table unqualified (OrleansQuery, folded to orleansquery), so the connection strings handed to Orleans carry
-- "Search Path=orleans" (OrleansPostgres.ProviderConnectionString does that). Every query text in orleansquery
-- schema-qualifies its own tables, so nothing else depends on the search path, and the application's own tables
-- (public, query index) never mix with Orleans'.
--
-- Identifiers are unquoted lower case: Orleans only reaches them through the query texts, which alias result
-- columns to the names it reads. Times are timestamptz throughout (a plain timestamp shifts under a non-UTC
-- session time zone, and Orleans reads every time back as UTC).

CREATE SCHEMA IF NOT EXISTS orleans;

-- The stored statements, one row per key; Orleans loads them once per provider at start-up.
CREATE TABLE orleans.orleansquery
(
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);

-- Membership: one version row per cluster (Orleans' "DeploymentId" is the ClusterId). Its version is the
-- optimistic-concurrency token for the whole membership of that cluster; every silo-row insert or update bumps it
-- by exactly one, nothing else touches it.
CREATE TABLE orleans.membership_version
(
    deployment_id text PRIMARY KEY,
    version       integer NOT NULL DEFAULT 0 CHECK (version >= 0),
    changed_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation. The foreign key keeps silo rows from outliving their version row: reads are an
-- outer join from the version row, and Orleans fails on a read that returns no row at all.
CREATE TABLE orleans.membership_silo
(
    deployment_id   text NOT NULL REFERENCES orleans.membership_version (deployment_id),
    address         text NOT NULL,              -- an IP literal as text; inet would not cast back to string
    port            integer NOT NULL,
    generation      integer NOT NULL,
    silo_name       text NOT NULL,
    host_name       text NOT NULL,
    status          integer NOT NULL,           -- Orleans.Runtime.SiloStatus: 3 Active, 6 Dead
    proxy_port      integer NOT NULL DEFAULT 0, -- 0 = no gateway
    suspect_times   text,                       -- opaque to us, stored byte for byte
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Grain state. Orleans identifies a row by (service id, state name, N0, N1, extension); the grain type is not sent.
-- The unique constraint makes two concurrent first writes yield one row and one version conflict instead of a
-- forked state. NULLS NOT DISTINCT (PostgreSQL 15+) keeps a NULL extension (integer and Guid keys) unique while
-- leaving NULL and '' distinct identities. The hashes are derived and may collide, so they stay out of the unique
-- key (a hasher change then fails loudly on first write instead of forking) and only serve the lookup index.
-- Keys and state names must stay well under PostgreSQL's ~2.7 kB btree entry limit; ours are short ids.
CREATE TABLE orleans.grain_state
(
    service_id         text    NOT NULL,
    grain_type         text    NOT NULL, -- the state name ("GrainTypeString" in Orleans' terms)
    grain_id_n0        bigint  NOT NULL,
    grain_id_n1        bigint  NOT NULL,
    grain_id_extension text,
    grain_id_hash      integer NOT NULL,
    grain_type_hash    integer NOT NULL,
    payload            bytea,            -- NULL = cleared
    version            integer NOT NULL,
    modified_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT grain_state_identity UNIQUE NULLS NOT DISTINCT
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
);

-- Every storage query looks a row up by both hashes (narrow even for string keys, whose N0 and N1 are both 0),
-- then checks the full identity.
CREATE INDEX grain_state_hashes ON orleans.grain_state (grain_id_hash, grain_type_hash);

-- Reminders. grain_hash is Orleans' uniform hash of the grain id as a signed int32: ring-range reads compare it
-- signed, which is the uint ring rotated by 2^31. period_ms is bigint because periods over ~24.8 days arrive as
-- int64.
CREATE TABLE orleans.reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX reminder_ring ON orleans.reminder (service_id, grain_hash);
