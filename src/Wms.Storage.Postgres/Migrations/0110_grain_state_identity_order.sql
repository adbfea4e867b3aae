-- The grain state's identity index, its columns reordered so that no plan takes it to find a row.
--
-- The service's grains have string keys, so grain_id_n0 and grain_id_n1 are 0 in every row, and an index led by
-- (service, state name, n0, n1) narrows nothing until it reaches the extension, which the statements compare with
-- IS NOT DISTINCT FROM and so cannot use as an index condition. Before the table has statistics (a new database
-- under load, before its first analyze), a plan made for given values took that index as the closest match and read
-- every row of the state name for each write: about 10 ms a write with 10,000 taskforces, seconds for a group, while
-- every report waited (Docs/performance.md, "The stall"). Led by the extension, it offers a plan no index condition,
-- and the lookups take grain_state_hashes, as they were meant to. The constraint is the same set of columns, so a
-- second row for one identity is refused as before, whatever its hashes.
ALTER TABLE orleans.grain_state DROP CONSTRAINT grain_state_identity;
ALTER TABLE orleans.grain_state ADD CONSTRAINT grain_state_identity UNIQUE NULLS NOT DISTINCT
    (grain_id_extension, grain_id_n1, grain_id_n0, grain_type, service_id);
