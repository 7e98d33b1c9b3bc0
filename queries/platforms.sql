-- The platforms present in the workspace, for the platform filter, most views first.
-- Returns: platform. Parameters: none.
SELECT platform
FROM (
    SELECT platform, views FROM figures
    UNION ALL
    SELECT platform, NULL AS views FROM figures_set_aside
)
GROUP BY platform
ORDER BY sum(views) DESC NULLS LAST, platform;
