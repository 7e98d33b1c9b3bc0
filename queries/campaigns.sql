-- The campaign names in the workspace, for the campaign filter: tags of figures and saved date ranges.
-- Returns: campaign. Parameters: none.
SELECT campaign FROM facts_current WHERE campaign <> ''
UNION
SELECT name FROM campaign_ranges
ORDER BY campaign;
