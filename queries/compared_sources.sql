-- The imported files whose counted figures fall in the compared campaigns, for the comparison's
-- source line (in one pass rather than one `sources_used` per campaign): campaign by campaign in
-- the order given, each as `sources_used` lists them, a file name already listed left out.
-- Returns: file_name, kind, imported_at.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaigns
-- (VARCHAR[]: the compared campaigns; NULL: every figure, as without a campaign filter).
WITH used AS (
    SELECT c.position, s.file_name, s.kind, s.imported_at
    FROM (
        SELECT
            unnest(coalesce($campaigns, [NULL::VARCHAR]))                 AS name,
            generate_subscripts(coalesce($campaigns, [NULL::VARCHAR]), 1) AS position
    ) AS c,
        LATERAL (
            SELECT source_id FROM filtered_sources($start, $end, $platforms, c.name, $accounts)
        ) AS u
    JOIN sources AS s ON s.source_id = u.source_id
)
SELECT file_name, kind, imported_at
FROM used
QUALIFY row_number() OVER (
    PARTITION BY file_name, kind ORDER BY position, imported_at DESC, file_name
) = 1
ORDER BY position, imported_at DESC, file_name;
