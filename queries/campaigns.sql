-- The campaign names in the workspace, for the campaign filter: tags of figures and saved date ranges.
-- Returns: campaign. Parameters: none.
SELECT campaign FROM figures WHERE campaign <> ''
UNION
SELECT campaign FROM figures_set_aside WHERE campaign <> ''
UNION
SELECT name FROM campaign_ranges
ORDER BY campaign;
