-- The imported files whose figures the filtered selection uses, for a chart's source line.
-- Returns: file_name, imported_at (most recent first).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR or NULL).
SELECT s.file_name, s.imported_at
FROM sources AS s
WHERE s.source_id IN (
    SELECT DISTINCT f.source_id
    FROM facts AS f
    JOIN filtered_facts($start, $end, $platforms, $campaign, $accounts) AS c USING (fact_key)
)
ORDER BY s.imported_at DESC, s.file_name;
