-- Engagement rate: engagements ÷ views (the denominator is always views).
-- Returns: platform, engagement_rate (a fraction; NULL for a platform without views).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL), $hourly_cost (DOUBLE: the default loaded cost of one staff hour, €).
SELECT platform, engagements / nullif(views, 0) AS engagement_rate
FROM platform_effort($start, $end, $platforms, $campaign, $accounts, $hourly_cost);
