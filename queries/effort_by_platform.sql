-- What each platform reached and what it cost: the figures behind every ROI ratio.
-- Returns: platform, views, reach, engagements (the platform's own total, else reactions + comments +
-- shares + saves), spend, staff_hours, staff_cost (hours × the platform's loaded hourly cost, else
-- $hourly_cost), followers_total (latest), largest views first.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL), $hourly_cost (DOUBLE: the default loaded cost of one staff hour, €).
SELECT platform, views, reach, engagements, spend, staff_hours, staff_cost, followers_total
FROM platform_effort($start, $end, $platforms, $campaign, $accounts, $hourly_cost)
ORDER BY views DESC NULLS LAST, platform;
