-- Views per follower: views over the period ÷ the latest known follower count.
-- Returns: platform, views_per_follower (NULL without views or without a follower count).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL), $hourly_cost (DOUBLE: the default loaded cost of one staff hour, €).
SELECT platform, views / nullif(followers_total, 0) AS views_per_follower
FROM platform_effort($start, $end, $platforms, $campaign, $accounts, $hourly_cost);
