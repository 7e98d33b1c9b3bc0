-- The campaign names present in the workspace, for the campaign filter.
-- Returns: campaign. Parameters: none.
SELECT DISTINCT campaign FROM facts_current WHERE campaign <> '' ORDER BY campaign;
