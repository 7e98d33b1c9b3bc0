-- Ad spend per view: what advertising paid for each view.
-- Returns: platform, ad_cost_per_view (€; NULL without spend or without views, never 0 for "unknown").
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL), $hourly_cost (DOUBLE: the default loaded cost of one staff hour, €).
SELECT platform, spend / nullif(views, 0) AS ad_cost_per_view
FROM platform_effort($start, $end, $platforms, $campaign, $accounts, $hourly_cost);
