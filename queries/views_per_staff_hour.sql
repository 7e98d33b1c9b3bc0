-- Views per staff hour: how many views one hour of the team's work brought.
-- Returns: platform, views_per_staff_hour (NULL without views or without hours).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL), $hourly_cost (DOUBLE: the default loaded cost of one staff hour, €).
SELECT platform, views / nullif(staff_hours, 0) AS views_per_staff_hour
FROM platform_effort($start, $end, $platforms, $campaign, $accounts, $hourly_cost);
