-- Past imports and the campaigns their figures carry, to choose one to tag with a campaign.
-- Returns: source_id, file_name, imported_at, campaign (the import's tag, NULL when none),
-- campaigns (the distinct non-empty campaign names of its figures, sorted), current_tag (the one
-- campaign its figures carry, else the import's tag, else ''), most recent first.
-- Parameters: none.
SELECT
    source_id,
    file_name,
    imported_at,
    campaign,
    campaigns,
    CASE WHEN len(campaigns) = 1 THEN campaigns[1] ELSE coalesce(campaign, '') END AS current_tag
FROM sources
ORDER BY source_id DESC;
