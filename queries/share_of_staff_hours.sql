-- Each platform's share of all the staff hours spent.
-- Returns: platform, share_of_staff_hours (a fraction; NULL for a platform without hours).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL), $hourly_cost (DOUBLE: the default loaded cost of one staff hour, €).
SELECT platform, staff_hours / nullif(sum(staff_hours) OVER (), 0) AS share_of_staff_hours
FROM platform_effort($start, $end, $platforms, $campaign, $accounts, $hourly_cost);
