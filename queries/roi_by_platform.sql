-- Return on investment per platform: reach, effort and the ratios between them.
-- Returns: platform, views, reach, engagements (the platform's own total, else reactions + comments
-- + shares + saves), spend, staff_hours, staff_cost (hours × the platform's loaded hourly cost, else
-- $hourly_cost), followers_total (latest), share_of_views, share_of_staff_hours, share_of_cost,
-- ad_cost_per_view, cost_per_view (ad spend + staff cost, per view), cost_per_1000_views,
-- views_per_staff_hour, engagement_rate (engagements ÷ views), views_per_follower.
-- A ratio is NULL where it cannot be computed (no views, no hours, no followers): never 0 or infinity.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL), $hourly_cost (DOUBLE: the default loaded cost of one staff hour, €).
WITH f AS (
    SELECT * FROM filtered_facts($start, $end, $platforms, $campaign, $accounts)
),
per_platform AS (
    SELECT
        platform,
        sum(views) AS views,
        sum(reach) AS reach,
        coalesce(
            sum(engagements),
            sum(coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0)
                + coalesce(saves, 0))
                FILTER (WHERE coalesce(reactions, comments, shares, saves) IS NOT NULL)
        ) AS engagements,
        sum(spend) AS spend,
        sum(staff_hours) AS staff_hours,
        arg_max(followers_total, coalesce(period_end, DATE '1970-01-01'))
            FILTER (WHERE followers_total IS NOT NULL) AS followers_total
    FROM f
    GROUP BY platform
),
costed AS (
    SELECT
        p.*,
        p.staff_hours * coalesce(c.cost, $hourly_cost) AS staff_cost,
        coalesce(p.spend, 0) + coalesce(p.staff_hours * coalesce(c.cost, $hourly_cost), 0) AS all_in_cost,
        p.spend IS NOT NULL OR p.staff_hours IS NOT NULL AS has_cost
    FROM per_platform AS p
    LEFT JOIN hourly_costs AS c USING (platform)
)
SELECT
    platform,
    views,
    reach,
    engagements,
    spend,
    staff_hours,
    staff_cost,
    followers_total,
    views / nullif(sum(views) OVER (), 0) AS share_of_views,
    staff_hours / nullif(sum(staff_hours) OVER (), 0) AS share_of_staff_hours,
    CASE WHEN has_cost THEN all_in_cost / nullif(sum(all_in_cost) OVER (), 0) END AS share_of_cost,
    spend / nullif(views, 0) AS ad_cost_per_view,
    CASE WHEN has_cost THEN all_in_cost / nullif(views, 0) END AS cost_per_view,
    CASE WHEN has_cost THEN 1000 * all_in_cost / nullif(views, 0) END AS cost_per_1000_views,
    views / nullif(staff_hours, 0) AS views_per_staff_hour,
    engagements / nullif(views, 0) AS engagement_rate,
    views / nullif(followers_total, 0) AS views_per_follower
FROM costed
ORDER BY views DESC NULLS LAST, platform;
