-- The query index: each object's latest wire JSON, plus the columns the TMS polls and the background loops
-- select and order on. One table per kind, because each kind has its own selection columns and indexes, and a
-- find never mixes kinds.
--
-- Every table keeps the document twice: "json" is the exact text the grains serialised (returned byte for byte),
-- and "doc" is the same document as jsonb, which finds are evaluated on (jsonb reorders keys and normalises
-- numbers, so it cannot give the original bytes back). Ids and selected strings use the "C" collation so
-- ORDER BY and comparisons are by code point, as the in-memory rules compare ordinally. Names are qualified with
-- "public" so that neither this script nor the functions depend on a connection's search path (Orleans' own
-- connections search "orleans").

CREATE TABLE public.wms_index_workflow (
    id        text COLLATE "C" PRIMARY KEY,
    revision  bigint           NOT NULL,
    json      text             NOT NULL,
    doc       jsonb            NOT NULL,
    -- Waiting for MQ activation: no mq_activated_ts and not deactivated (ActivationKeys).
    awaiting  boolean          NOT NULL,
    priority  integer          NOT NULL,
    timestamp double precision NOT NULL,
    retry_at  double precision NULL
);

-- The activation queue, in its order; only waiting workflows are in it, so it stays small.
CREATE INDEX wms_index_workflow_activation
    ON public.wms_index_workflow ((retry_at IS NOT NULL) DESC, priority DESC, timestamp, id)
    WHERE awaiting;

CREATE TABLE public.wms_index_task_directive (
    id          text COLLATE "C" PRIMARY KEY,
    revision    bigint           NOT NULL,
    json        text             NOT NULL,
    doc         jsonb            NOT NULL,
    workflow_id text COLLATE "C" NOT NULL
);

CREATE INDEX wms_index_task_directive_workflow ON public.wms_index_task_directive (workflow_id);

CREATE TABLE public.wms_index_taskforce (
    id              text COLLATE "C" PRIMARY KEY,
    revision        bigint           NOT NULL,
    json            text             NOT NULL,
    doc             jsonb            NOT NULL,
    workflow_id     text COLLATE "C" NOT NULL,
    collector       text COLLATE "C" NOT NULL,
    schedd          text COLLATE "C" NOT NULL,
    phase           text COLLATE "C" NOT NULL,
    priority        bigint           NOT NULL,
    submit_failures integer          NOT NULL,
    rm_failures     integer          NOT NULL,
    has_cluster_id  boolean          NOT NULL,
    timestamp       double precision NOT NULL
)
-- Room on each page for status updates (the hottest write, which changes no indexed column) to stay HOT.
WITH (fillfactor = 80);

-- A TMS poll reads only its own schedd's taskforces in that phase, already in offer order, and checks the retry
-- limit on the index entries: taskforces past it stay in the phase for good and must not cost a heap visit each.
CREATE INDEX wms_index_taskforce_starter
    ON public.wms_index_taskforce (collector, schedd, priority DESC, submit_failures, timestamp, id)
    WHERE phase = 'pending-starter';

-- Never-submitted taskforces also stay in pending-stopper for good, with nothing to stop: not in this index.
CREATE INDEX wms_index_taskforce_stopper
    ON public.wms_index_taskforce (collector, schedd, timestamp, id, rm_failures)
    WHERE phase = 'pending-stopper' AND has_cluster_id;

CREATE INDEX wms_index_taskforce_launch
    ON public.wms_index_taskforce (priority DESC, timestamp, id)
    WHERE phase = 'pre-launch';

-- For finds by location (the TMS looks its taskforces up by collector, schedd and event log) and by workflow.
CREATE INDEX wms_index_taskforce_location ON public.wms_index_taskforce (collector, schedd, phase);
CREATE INDEX wms_index_taskforce_workflow ON public.wms_index_taskforce (workflow_id);

-- ---------------------------------------------------------------------------------------------------------------
-- Find: MongoDB filter semantics over jsonb, mirroring Wms.Query's FilterEvaluator and PathWalker.
--
-- A condition is "some value the path reaches satisfies the test". wms_find_any walks the path and stops at the
-- first value that passes. A path that does not exist is offered to the test as SQL NULL ("missing"), which is
-- distinct from the JSON null 'null'::jsonb. The result is never NULL, so NOT of it is the plain negation.
--
-- Tests (op): 'eq'     value equals operand (jsonb equality: objects ignore key order, numbers by value);
--                      a missing value equals only the JSON null operand;
--             'in'     equals one of items;
--             'exists' the value is present;
--             'gt' 'gte' 'lt' 'lte'  same JSON type as the (scalar, non-null) operand and ordered so: numbers by
--                      value, strings by code point, false < true.
-- ---------------------------------------------------------------------------------------------------------------

CREATE FUNCTION public.wms_find_test(v jsonb, op text, operand jsonb, items jsonb[])
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE op
        WHEN 'eq' THEN coalesce(v, 'null'::jsonb) = operand
        WHEN 'in' THEN coalesce(v, 'null'::jsonb) = ANY (items)
        WHEN 'exists' THEN v IS NOT NULL
        ELSE coalesce(
            jsonb_typeof(v) = jsonb_typeof(operand)
            AND CASE jsonb_typeof(operand)
                WHEN 'number' THEN CASE op
                    WHEN 'gt' THEN v::numeric > operand::numeric
                    WHEN 'gte' THEN v::numeric >= operand::numeric
                    WHEN 'lt' THEN v::numeric < operand::numeric
                    WHEN 'lte' THEN v::numeric <= operand::numeric
                END
                WHEN 'string' THEN CASE op
                    WHEN 'gt' THEN (v #>> '{}') COLLATE "C" > (operand #>> '{}') COLLATE "C"
                    WHEN 'gte' THEN (v #>> '{}') COLLATE "C" >= (operand #>> '{}') COLLATE "C"
                    WHEN 'lt' THEN (v #>> '{}') COLLATE "C" < (operand #>> '{}') COLLATE "C"
                    WHEN 'lte' THEN (v #>> '{}') COLLATE "C" <= (operand #>> '{}') COLLATE "C"
                END
                WHEN 'boolean' THEN CASE op
                    WHEN 'gt' THEN v::boolean > operand::boolean
                    WHEN 'gte' THEN v::boolean >= operand::boolean
                    WHEN 'lt' THEN v::boolean < operand::boolean
                    WHEN 'lte' THEN v::boolean <= operand::boolean
                END
            END, false)
    END
$$;

-- Walks path[pos..] starting inside an object. Objects are descended key by key; a missing key, or a scalar or
-- null before the last segment, is "missing"; an array hands the rest of the walk to wms_find_any_array.
CREATE FUNCTION public.wms_find_any_object(
    obj jsonb, path text[], pos integer, op text, operand jsonb, items jsonb[])
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    n integer := cardinality(path);
    v jsonb;
BEGIN
    LOOP
        v := obj -> path[pos];
        IF v IS NULL THEN
            RETURN public.wms_find_test(NULL, op, operand, items);
        END IF;
        pos := pos + 1;
        IF jsonb_typeof(v) = 'array' THEN
            RETURN public.wms_find_any_array(v, path, pos, op, operand, items);
        END IF;
        IF pos > n THEN
            RETURN public.wms_find_test(v, op, operand, items);
        END IF;
        IF jsonb_typeof(v) <> 'object' THEN
            RETURN public.wms_find_test(NULL, op, operand, items);
        END IF;
        obj := v;
    END LOOP;
END
$$;

-- path[pos..] still to apply to an array's contents. At the end of the path: each element, then the array itself.
-- Otherwise the rest continues inside every object element, and a segment spelling an element's position (only
-- the canonical decimal, "01" never) also continues from that element.
CREATE FUNCTION public.wms_find_any_array(
    arr jsonb, path text[], pos integer, op text, operand jsonb, items jsonb[])
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    n integer := cardinality(path);
    len integer := jsonb_array_length(arr);
    seg text;
    is_index boolean;
    last boolean;
    el jsonb;
    el_type text;
BEGIN
    IF pos > n THEN
        FOR i IN 0 .. len - 1 LOOP
            IF public.wms_find_test(arr -> i, op, operand, items) THEN
                RETURN true;
            END IF;
        END LOOP;
        RETURN public.wms_find_test(arr, op, operand, items);
    END IF;
    seg := path[pos];
    is_index := seg ~ '^[0-9]+$';
    last := pos = n;
    FOR i IN 0 .. len - 1 LOOP
        el := arr -> i;
        el_type := jsonb_typeof(el);
        IF el_type = 'object' THEN
            IF public.wms_find_any_object(el, path, pos, op, operand, items) THEN
                RETURN true;
            END IF;
            IF is_index AND seg = i::text THEN
                IF last THEN
                    IF public.wms_find_test(el, op, operand, items) THEN
                        RETURN true;
                    END IF;
                ELSIF public.wms_find_any_object(el, path, pos + 1, op, operand, items) THEN
                    RETURN true;
                END IF;
            END IF;
        ELSIF is_index AND seg = i::text THEN
            IF last THEN
                IF public.wms_find_test(el, op, operand, items) THEN
                    RETURN true;
                END IF;
            ELSIF el_type = 'array' THEN
                IF public.wms_find_any_array(el, path, pos + 1, op, operand, items) THEN
                    RETURN true;
                END IF;
            END IF;
        END IF;
    END LOOP;
    RETURN false;
END
$$;

-- The entry point a translated condition calls: true when some value at path in doc passes the test.
CREATE FUNCTION public.wms_find_any(doc jsonb, path text[], op text, operand jsonb, items jsonb[])
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(public.wms_find_any_object(doc, path, 1, op, operand, items), false)
$$;
