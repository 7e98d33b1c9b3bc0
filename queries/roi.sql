-- Per platform, what it reached, what it cost and every return-on-investment ratio, in one pass.
-- Each ratio is NULL when it cannot be computed (no views, no hours, no cost, no followers), never 0.
-- Returns: platform, views, reach, engagements (the platform's own total, else reactions + comments +
-- shares + saves), spend, staff_hours, followers_total (latest level), then the ratios of
-- canalyse.ratios.RATIOS: staff_cost (hours × the platform's loaded hourly cost, else $hourly_cost),
-- share_of_views, share_of_staff_hours, ad_cost_per_view, cost_per_view (all-in: ad spend + staff
-- cost), cost_per_1000_views, views_per_staff_hour, engagement_rate (engagements ÷ views),
-- views_per_follower; largest views first.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign), $hourly_cost (DOUBLE: the default loaded cost of one
-- staff hour, €).
SELECT
    platform,
    views,
    reach,
    engagements,
    spend,
    staff_hours,
    followers_total,
    staff_cost,
    views / sum(views) OVER ()                                       AS share_of_views,
    staff_hours / nullif(sum(staff_hours) OVER (), 0)                AS share_of_staff_hours,
    spend / nullif(views, 0)                                         AS ad_cost_per_view,
    CASE WHEN has_cost THEN all_in_cost / nullif(views, 0) END        AS cost_per_view,
    CASE WHEN has_cost THEN 1000 * all_in_cost / nullif(views, 0) END AS cost_per_1000_views,
    views / nullif(staff_hours, 0)                                   AS views_per_staff_hour,
    engagements / nullif(views, 0)                                   AS engagement_rate,
    views / nullif(followers_total, 0)                               AS views_per_follower
FROM platform_effort($start, $end, $platforms, $campaign, $accounts, $hourly_cost)
ORDER BY views DESC NULLS LAST, platform;
