-- The statements Orleans 10.4.2 runs, keyed as its ADO.NET providers look them up (case-sensitive keys).
-- Written as upserts so that a later migration can replace a text by repeating its row; running processes only
-- pick up a changed text after a restart, so keep old and new texts compatible.
--
-- Conventions: parameters are exactly those Orleans binds for each key (an unbound @name would reach the server);
-- result columns are aliased to the names Orleans reads; every table is schema-qualified; each text is a single
-- statement, so its parts commit together. Statements that Orleans reads as "one boolean" return exactly one row
-- with one boolean column.

INSERT INTO orleans.orleansquery (querykey, querytext)
VALUES

-- ---------------------------------------------------------------------------------------------------------------
-- Clustering (silos and clients both require all nine of the first keys)
-- ---------------------------------------------------------------------------------------------------------------

-- Creates the cluster's version row at 0 if missing; silos start concurrently and an error here is not retried.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans.membership_version (deployment_id, version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created)
$q$),

-- Outer join from the version row: with no silos, one row of NULL silo columns carrying the version.
('MembershipReadAllKey', $q$
SELECT v.version         AS "Version",
       s.address         AS "Address",
       s.port            AS "Port",
       s.generation      AS "Generation",
       s.silo_name       AS "SiloName",
       s.host_name       AS "HostName",
       s.status          AS "Status",
       s.proxy_port      AS "ProxyPort",
       s.suspect_times   AS "SuspectTimes",
       s.start_time      AS "StartTime",
       s.i_am_alive_time AS "IAmAliveTime"
FROM orleans.membership_version v
LEFT JOIN orleans.membership_silo s ON s.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadRowKey', $q$
SELECT v.version         AS "Version",
       s.address         AS "Address",
       s.port            AS "Port",
       s.generation      AS "Generation",
       s.silo_name       AS "SiloName",
       s.host_name       AS "HostName",
       s.status          AS "Status",
       s.proxy_port      AS "ProxyPort",
       s.suspect_times   AS "SuspectTimes",
       s.start_time      AS "StartTime",
       s.i_am_alive_time AS "IAmAliveTime"
FROM orleans.membership_version v
LEFT JOIN orleans.membership_silo s
       ON s.deployment_id = v.deployment_id
      AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

-- Bumps the version only if it still holds @Version and the silo is new, then inserts the silo row. Waiting
-- writers re-check the version after the row lock, so one of N concurrent inserts wins. Should a duplicate slip
-- past the check anyway, the primary key fails the whole statement and the bump is undone with it.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans.membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleans.membership_silo
                      WHERE deployment_id = @DeploymentId
                        AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id
), inserted AS (
    INSERT INTO orleans.membership_silo
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
         suspect_times, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
           NULL, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted)
$q$),

-- Locks the silo row first, so that it cannot vanish between the version bump and its own update (the version
-- must not move unless the row changes). Lock order silo row -> version row; nothing locks the other way round.
-- IAmAliveTime never moves backwards.
('UpdateMembershipKey', $q$
WITH silo AS (
    SELECT 1 FROM orleans.membership_silo
    WHERE deployment_id = @DeploymentId
      AND address = @Address AND port = @Port AND generation = @Generation
    FOR UPDATE
), bumped AS (
    UPDATE orleans.membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId
      AND version = @Version
      AND EXISTS (SELECT 1 FROM silo)
    RETURNING deployment_id
), updated AS (
    UPDATE orleans.membership_silo s
    SET status = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_time = GREATEST(s.i_am_alive_time, @IAmAliveTime)
    FROM bumped b
    WHERE s.deployment_id = b.deployment_id
      AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated)
$q$),

-- The heartbeat: never touches the version, never moves the time backwards.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans.membership_silo
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND i_am_alive_time < @IAmAliveTime
$q$),

('GatewaysQueryKey', $q$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
FROM orleans.membership_silo
WHERE deployment_id = @DeploymentId
  AND status = @Status
  AND proxy_port > 0
$q$),

-- Silo rows before the version row: the same lock order as UpdateMembershipKey.
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans.membership_silo WHERE deployment_id = @DeploymentId;
DELETE FROM orleans.membership_version WHERE deployment_id = @DeploymentId;
$q$),

-- Bulk cleanup (Orleans only runs it when CleanupDefunctSiloEntryKey is absent, but requires it regardless).
-- Stricter than "not Active": only Dead silos that both started and last reported before the cutoff.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans.membership_silo
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime
  AND start_time < @IAmAliveTime
$q$),

-- Per-row cleanup (optional in 10.4.2; when present Orleans picks the rows itself, also skipping silos with a
-- recent suspect vote). Deletes only if the row is still Dead and unchanged since Orleans read it.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans.membership_silo
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND suspect_times IS NOT DISTINCT FROM @SuspectTimes
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
$q$),

-- ---------------------------------------------------------------------------------------------------------------
-- Grain storage. Identity: service id, state name, N0, N1 and the extension compared NULL-safely (NULL and ''
-- differ). The hashes only narrow the index lookup. The version is the ETag; a conflict returns no row, which
-- Orleans turns into InconsistentStateException (and deactivates the grain) rather than a database error.
-- ---------------------------------------------------------------------------------------------------------------

('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary",
       version AS "Version"
FROM orleans.grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- With a version: compare-and-swap, never insert. Without one (first write): insert at version 1, or nothing if
-- the row exists; the unique constraint settles concurrent first writes to one winner.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans.grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
      AND service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleans.grain_state
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension,
         grain_id_hash, grain_type_hash, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
           @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT grain_state_identity DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted
$q$),

-- Keeps the row with a NULL payload and a new version (DeleteStateOnClear = false, the default).
('ClearStorageKey', $q$
UPDATE orleans.grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version
$q$),

-- DeleteStateOnClear = true. Returns a value different from the deleted version: Orleans reads an unchanged
-- value as a conflict.
('DeleteStorageKey', $q$
DELETE FROM orleans.grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
  AND version = @GrainStateVersion
RETURNING version::bigint + 1
$q$),

-- ---------------------------------------------------------------------------------------------------------------
-- Reminders. Identity: (service id, grain id, reminder name). Versions start at 0.
-- ---------------------------------------------------------------------------------------------------------------

('UpsertReminderRowKey', $q$
INSERT INTO orleans.reminder AS r
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time,
    period_ms = EXCLUDED.period_ms,
    grain_hash = EXCLUDED.grain_hash,
    version = r.version + 1
RETURNING r.version AS "Version"
$q$),

('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans.reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans.reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- Ring range (begin, end] when begin < end, compared as signed int32 like the parameters.
('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans.reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

-- Wrapping range (begin >= end; begin = end is the whole ring).
('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans.reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans.reminder
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted)
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans.reminder WHERE service_id = @ServiceId
$q$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
