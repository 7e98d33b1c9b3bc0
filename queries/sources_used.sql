-- The imported files whose counted figures fall in the filtered selection, for a chart's source line.
-- Returns: file_name, kind (file, typed, example, fetch), imported_at (most recent first).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign).
SELECT s.file_name, s.kind, s.imported_at
FROM sources AS s
WHERE s.source_id IN (
    SELECT source_id FROM filtered_sources($start, $end, $platforms, $campaign, $accounts)
)
ORDER BY s.imported_at DESC, s.file_name;
