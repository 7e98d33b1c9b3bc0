-- All-in cost per view and per 1 000 views: (ad spend + staff hours × hourly cost) ÷ views.
-- Returns: platform, cost_per_view, cost_per_1000_views (€; NULL without views, or with neither spend
-- nor hours).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL), $hourly_cost (DOUBLE: the default loaded cost of one staff hour, €).
SELECT
    platform,
    CASE WHEN has_cost THEN all_in_cost / nullif(views, 0) END AS cost_per_view,
    CASE WHEN has_cost THEN 1000 * all_in_cost / nullif(views, 0) END AS cost_per_1000_views
FROM platform_effort($start, $end, $platforms, $campaign, $accounts, $hourly_cost);
