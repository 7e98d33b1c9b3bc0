-- Past imports and the campaigns their figures carry, to choose one to tag with a campaign.
-- Returns: source_id, file_name, imported_at, campaign (the import's tag, NULL when none),
-- campaigns (the distinct non-empty campaign names of its figures, sorted), current_tag (the one
-- campaign its figures carry, else the import's tag, else ''), most recent first.
-- Parameters: none.
SELECT
    s.source_id,
    s.file_name,
    s.imported_at,
    s.campaign,
    coalesce(
        list(DISTINCT f.campaign ORDER BY f.campaign) FILTER (WHERE f.campaign <> ''),
        []::VARCHAR[]
    ) AS campaigns,
    CASE
        WHEN count(DISTINCT f.campaign) FILTER (WHERE f.campaign <> '') = 1
            THEN min(f.campaign) FILTER (WHERE f.campaign <> '')
        ELSE coalesce(s.campaign, '')
    END AS current_tag
FROM sources AS s
LEFT JOIN facts AS f USING (source_id)
GROUP BY s.source_id, s.file_name, s.imported_at, s.campaign
ORDER BY s.source_id DESC;
