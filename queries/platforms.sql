-- The platforms present in the workspace, for the platform filter, most views first.
-- Returns: platform. Parameters: none.
SELECT platform FROM facts_current GROUP BY platform ORDER BY sum(views) DESC NULLS LAST, platform;
