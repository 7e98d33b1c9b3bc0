-- Derived views and macros, recreated each time a workspace opens (they hold no data).

-- The current value of every figure: for each fact_key and each metric, the most recent import
-- that gave that metric a value wins. So overlapping exports count once, a corrected file replaces
-- the figures it repeats, and a separate hours file adds staff hours without erasing views.
CREATE OR REPLACE VIEW facts_current AS
SELECT
    fact_key,
    arg_max(platform, source_id)                                          AS platform,
    arg_max(account, source_id)                                           AS account,
    arg_max(grain, source_id)                                             AS grain,
    arg_max(period_start, source_id)                                      AS period_start,
    arg_max(period_end, source_id)                                        AS period_end,
    arg_max(item_key, source_id)                                          AS item_key,
    arg_max(title, source_id)                                             AS title,
    arg_max(campaign, source_id)                                          AS campaign,
    max(source_id)                                                        AS source_id,
    arg_max(views, source_id) FILTER (WHERE views IS NOT NULL)            AS views,
    arg_max(reach, source_id) FILTER (WHERE reach IS NOT NULL)            AS reach,
    arg_max(impressions, source_id) FILTER (WHERE impressions IS NOT NULL) AS impressions,
    arg_max(reactions, source_id) FILTER (WHERE reactions IS NOT NULL)    AS reactions,
    arg_max(comments, source_id) FILTER (WHERE comments IS NOT NULL)      AS comments,
    arg_max(shares, source_id) FILTER (WHERE shares IS NOT NULL)          AS shares,
    arg_max(saves, source_id) FILTER (WHERE saves IS NOT NULL)            AS saves,
    arg_max(clicks, source_id) FILTER (WHERE clicks IS NOT NULL)          AS clicks,
    arg_max(link_clicks, source_id) FILTER (WHERE link_clicks IS NOT NULL) AS link_clicks,
    arg_max(video_views, source_id) FILTER (WHERE video_views IS NOT NULL) AS video_views,
    arg_max(watch_time_hours, source_id) FILTER (WHERE watch_time_hours IS NOT NULL)
                                                                          AS watch_time_hours,
    arg_max(engagements, source_id) FILTER (WHERE engagements IS NOT NULL) AS engagements,
    arg_max(followers_gained, source_id) FILTER (WHERE followers_gained IS NOT NULL)
                                                                          AS followers_gained,
    arg_max(followers_lost, source_id) FILTER (WHERE followers_lost IS NOT NULL)
                                                                          AS followers_lost,
    arg_max(followers_total, source_id) FILTER (WHERE followers_total IS NOT NULL)
                                                                          AS followers_total,
    arg_max(profile_visits, source_id) FILTER (WHERE profile_visits IS NOT NULL)
                                                                          AS profile_visits,
    arg_max(spend, source_id) FILTER (WHERE spend IS NOT NULL)            AS spend,
    arg_max(staff_hours, source_id) FILTER (WHERE staff_hours IS NOT NULL) AS staff_hours
FROM facts
GROUP BY fact_key;

-- Which grain feeds each figure, so that nothing counts twice when a platform arrives both as a day
-- series and as posts (or as months). For each platform, date and metric:
--   1. an account-level day series wins (it counts everything published or not);
--   2. else a per-content day series (YouTube "Chart data");
--   3. else posts, counted on their publish date.
-- A dated period (a month in a hand-made table) gives way to any day series of the same metric inside
-- it, and takes precedence over posts published inside it. Undated summaries are left as they are.
CREATE OR REPLACE VIEW facts_effective AS
WITH account_days AS (
    SELECT platform, period_start AS day,
        bool_or(views IS NOT NULL) AS views,
        bool_or(reach IS NOT NULL) AS reach,
        bool_or(impressions IS NOT NULL) AS impressions,
        bool_or(reactions IS NOT NULL) AS reactions,
        bool_or(comments IS NOT NULL) AS comments,
        bool_or(shares IS NOT NULL) AS shares,
        bool_or(saves IS NOT NULL) AS saves,
        bool_or(clicks IS NOT NULL) AS clicks,
        bool_or(link_clicks IS NOT NULL) AS link_clicks,
        bool_or(video_views IS NOT NULL) AS video_views,
        bool_or(watch_time_hours IS NOT NULL) AS watch_time_hours,
        bool_or(engagements IS NOT NULL) AS engagements,
        bool_or(followers_gained IS NOT NULL) AS followers_gained,
        bool_or(followers_lost IS NOT NULL) AS followers_lost,
        bool_or(followers_total IS NOT NULL) AS followers_total,
        bool_or(profile_visits IS NOT NULL) AS profile_visits,
        bool_or(spend IS NOT NULL) AS spend,
        bool_or(staff_hours IS NOT NULL) AS staff_hours
    FROM facts_current
    WHERE grain = 'day' AND item_key IS NULL
    GROUP BY ALL
),
content_days AS (
    SELECT platform, period_start AS day,
        bool_or(views IS NOT NULL) AS views,
        bool_or(reach IS NOT NULL) AS reach,
        bool_or(impressions IS NOT NULL) AS impressions,
        bool_or(reactions IS NOT NULL) AS reactions,
        bool_or(comments IS NOT NULL) AS comments,
        bool_or(shares IS NOT NULL) AS shares,
        bool_or(saves IS NOT NULL) AS saves,
        bool_or(clicks IS NOT NULL) AS clicks,
        bool_or(link_clicks IS NOT NULL) AS link_clicks,
        bool_or(video_views IS NOT NULL) AS video_views,
        bool_or(watch_time_hours IS NOT NULL) AS watch_time_hours,
        bool_or(engagements IS NOT NULL) AS engagements,
        bool_or(followers_gained IS NOT NULL) AS followers_gained,
        bool_or(followers_lost IS NOT NULL) AS followers_lost,
        bool_or(followers_total IS NOT NULL) AS followers_total,
        bool_or(profile_visits IS NOT NULL) AS profile_visits,
        bool_or(spend IS NOT NULL) AS spend,
        bool_or(staff_hours IS NOT NULL) AS staff_hours
    FROM facts_current
    WHERE grain = 'day' AND item_key IS NOT NULL
    GROUP BY ALL
),
any_days AS (
    SELECT platform, period_start AS day,
        bool_or(views IS NOT NULL) AS views,
        bool_or(reach IS NOT NULL) AS reach,
        bool_or(impressions IS NOT NULL) AS impressions,
        bool_or(reactions IS NOT NULL) AS reactions,
        bool_or(comments IS NOT NULL) AS comments,
        bool_or(shares IS NOT NULL) AS shares,
        bool_or(saves IS NOT NULL) AS saves,
        bool_or(clicks IS NOT NULL) AS clicks,
        bool_or(link_clicks IS NOT NULL) AS link_clicks,
        bool_or(video_views IS NOT NULL) AS video_views,
        bool_or(watch_time_hours IS NOT NULL) AS watch_time_hours,
        bool_or(engagements IS NOT NULL) AS engagements,
        bool_or(followers_gained IS NOT NULL) AS followers_gained,
        bool_or(followers_lost IS NOT NULL) AS followers_lost,
        bool_or(followers_total IS NOT NULL) AS followers_total,
        bool_or(profile_visits IS NOT NULL) AS profile_visits,
        bool_or(spend IS NOT NULL) AS spend,
        bool_or(staff_hours IS NOT NULL) AS staff_hours
    FROM facts_current
    WHERE grain = 'day'
    GROUP BY ALL
),
periods_with_days AS (
    SELECT p.fact_key,
        bool_or(d.views) AS views,
        bool_or(d.reach) AS reach,
        bool_or(d.impressions) AS impressions,
        bool_or(d.reactions) AS reactions,
        bool_or(d.comments) AS comments,
        bool_or(d.shares) AS shares,
        bool_or(d.saves) AS saves,
        bool_or(d.clicks) AS clicks,
        bool_or(d.link_clicks) AS link_clicks,
        bool_or(d.video_views) AS video_views,
        bool_or(d.watch_time_hours) AS watch_time_hours,
        bool_or(d.engagements) AS engagements,
        bool_or(d.followers_gained) AS followers_gained,
        bool_or(d.followers_lost) AS followers_lost,
        bool_or(d.followers_total) AS followers_total,
        bool_or(d.profile_visits) AS profile_visits,
        bool_or(d.spend) AS spend,
        bool_or(d.staff_hours) AS staff_hours
    FROM facts_current AS p
    JOIN any_days AS d
      ON d.platform = p.platform AND d.day BETWEEN p.period_start AND p.period_end
    WHERE p.grain = 'period' AND p.period_start IS NOT NULL
    GROUP BY p.fact_key
),
posts_in_periods AS (
    SELECT f.fact_key,
        bool_or(p.views IS NOT NULL) AS views,
        bool_or(p.reach IS NOT NULL) AS reach,
        bool_or(p.impressions IS NOT NULL) AS impressions,
        bool_or(p.reactions IS NOT NULL) AS reactions,
        bool_or(p.comments IS NOT NULL) AS comments,
        bool_or(p.shares IS NOT NULL) AS shares,
        bool_or(p.saves IS NOT NULL) AS saves,
        bool_or(p.clicks IS NOT NULL) AS clicks,
        bool_or(p.link_clicks IS NOT NULL) AS link_clicks,
        bool_or(p.video_views IS NOT NULL) AS video_views,
        bool_or(p.watch_time_hours IS NOT NULL) AS watch_time_hours,
        bool_or(p.engagements IS NOT NULL) AS engagements,
        bool_or(p.followers_gained IS NOT NULL) AS followers_gained,
        bool_or(p.followers_lost IS NOT NULL) AS followers_lost,
        bool_or(p.followers_total IS NOT NULL) AS followers_total,
        bool_or(p.profile_visits IS NOT NULL) AS profile_visits,
        bool_or(p.spend IS NOT NULL) AS spend,
        bool_or(p.staff_hours IS NOT NULL) AS staff_hours
    FROM facts_current AS f
    JOIN facts_current AS p
      ON p.grain = 'period' AND p.platform = f.platform
     AND f.period_start BETWEEN p.period_start AND p.period_end
    WHERE f.grain = 'post'
    GROUP BY f.fact_key
)
SELECT f.* REPLACE (
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.views, false)) OR (f.grain = 'post' AND (coalesce(a.views, false) OR coalesce(c.views, false) OR coalesce(pp.views, false))) OR (f.grain = 'period' AND coalesce(pd.views, false)) THEN NULL ELSE f.views END AS views,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.reach, false)) OR (f.grain = 'post' AND (coalesce(a.reach, false) OR coalesce(c.reach, false) OR coalesce(pp.reach, false))) OR (f.grain = 'period' AND coalesce(pd.reach, false)) THEN NULL ELSE f.reach END AS reach,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.impressions, false)) OR (f.grain = 'post' AND (coalesce(a.impressions, false) OR coalesce(c.impressions, false) OR coalesce(pp.impressions, false))) OR (f.grain = 'period' AND coalesce(pd.impressions, false)) THEN NULL ELSE f.impressions END AS impressions,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.reactions, false)) OR (f.grain = 'post' AND (coalesce(a.reactions, false) OR coalesce(c.reactions, false) OR coalesce(pp.reactions, false))) OR (f.grain = 'period' AND coalesce(pd.reactions, false)) THEN NULL ELSE f.reactions END AS reactions,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.comments, false)) OR (f.grain = 'post' AND (coalesce(a.comments, false) OR coalesce(c.comments, false) OR coalesce(pp.comments, false))) OR (f.grain = 'period' AND coalesce(pd.comments, false)) THEN NULL ELSE f.comments END AS comments,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.shares, false)) OR (f.grain = 'post' AND (coalesce(a.shares, false) OR coalesce(c.shares, false) OR coalesce(pp.shares, false))) OR (f.grain = 'period' AND coalesce(pd.shares, false)) THEN NULL ELSE f.shares END AS shares,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.saves, false)) OR (f.grain = 'post' AND (coalesce(a.saves, false) OR coalesce(c.saves, false) OR coalesce(pp.saves, false))) OR (f.grain = 'period' AND coalesce(pd.saves, false)) THEN NULL ELSE f.saves END AS saves,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.clicks, false)) OR (f.grain = 'post' AND (coalesce(a.clicks, false) OR coalesce(c.clicks, false) OR coalesce(pp.clicks, false))) OR (f.grain = 'period' AND coalesce(pd.clicks, false)) THEN NULL ELSE f.clicks END AS clicks,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.link_clicks, false)) OR (f.grain = 'post' AND (coalesce(a.link_clicks, false) OR coalesce(c.link_clicks, false) OR coalesce(pp.link_clicks, false))) OR (f.grain = 'period' AND coalesce(pd.link_clicks, false)) THEN NULL ELSE f.link_clicks END AS link_clicks,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.video_views, false)) OR (f.grain = 'post' AND (coalesce(a.video_views, false) OR coalesce(c.video_views, false) OR coalesce(pp.video_views, false))) OR (f.grain = 'period' AND coalesce(pd.video_views, false)) THEN NULL ELSE f.video_views END AS video_views,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.watch_time_hours, false)) OR (f.grain = 'post' AND (coalesce(a.watch_time_hours, false) OR coalesce(c.watch_time_hours, false) OR coalesce(pp.watch_time_hours, false))) OR (f.grain = 'period' AND coalesce(pd.watch_time_hours, false)) THEN NULL ELSE f.watch_time_hours END AS watch_time_hours,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.engagements, false)) OR (f.grain = 'post' AND (coalesce(a.engagements, false) OR coalesce(c.engagements, false) OR coalesce(pp.engagements, false))) OR (f.grain = 'period' AND coalesce(pd.engagements, false)) THEN NULL ELSE f.engagements END AS engagements,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.followers_gained, false)) OR (f.grain = 'post' AND (coalesce(a.followers_gained, false) OR coalesce(c.followers_gained, false) OR coalesce(pp.followers_gained, false))) OR (f.grain = 'period' AND coalesce(pd.followers_gained, false)) THEN NULL ELSE f.followers_gained END AS followers_gained,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.followers_lost, false)) OR (f.grain = 'post' AND (coalesce(a.followers_lost, false) OR coalesce(c.followers_lost, false) OR coalesce(pp.followers_lost, false))) OR (f.grain = 'period' AND coalesce(pd.followers_lost, false)) THEN NULL ELSE f.followers_lost END AS followers_lost,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.followers_total, false)) OR (f.grain = 'post' AND (coalesce(a.followers_total, false) OR coalesce(c.followers_total, false) OR coalesce(pp.followers_total, false))) OR (f.grain = 'period' AND coalesce(pd.followers_total, false)) THEN NULL ELSE f.followers_total END AS followers_total,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.profile_visits, false)) OR (f.grain = 'post' AND (coalesce(a.profile_visits, false) OR coalesce(c.profile_visits, false) OR coalesce(pp.profile_visits, false))) OR (f.grain = 'period' AND coalesce(pd.profile_visits, false)) THEN NULL ELSE f.profile_visits END AS profile_visits,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.spend, false)) OR (f.grain = 'post' AND (coalesce(a.spend, false) OR coalesce(c.spend, false) OR coalesce(pp.spend, false))) OR (f.grain = 'period' AND coalesce(pd.spend, false)) THEN NULL ELSE f.spend END AS spend,
        CASE WHEN (f.grain = 'day' AND f.item_key IS NOT NULL AND coalesce(a.staff_hours, false)) OR (f.grain = 'post' AND (coalesce(a.staff_hours, false) OR coalesce(c.staff_hours, false) OR coalesce(pp.staff_hours, false))) OR (f.grain = 'period' AND coalesce(pd.staff_hours, false)) THEN NULL ELSE f.staff_hours END AS staff_hours
    )
FROM facts_current AS f
LEFT JOIN account_days AS a
  ON f.grain IN ('day', 'post') AND a.platform = f.platform AND a.day = f.period_start
LEFT JOIN content_days AS c
  ON f.grain = 'post' AND c.platform = f.platform AND c.day = f.period_start
LEFT JOIN periods_with_days AS pd ON pd.fact_key = f.fact_key
LEFT JOIN posts_in_periods AS pp ON pp.fact_key = f.fact_key;

-- The figures a report uses, after the shared filters. A NULL parameter means "no filter".
-- A dated row counts when it lies entirely inside [start, end]; an undated campaign summary only
-- when no period is asked for, since nobody can tell which part of it falls inside.
-- A campaign is either the tag of the figures (import tag or Campaign column) or a date range
-- saved under that name, whose dated figures all belong to it.
CREATE OR REPLACE MACRO filtered_facts(p_start, p_end, p_platforms, p_campaign, p_accounts) AS TABLE
SELECT *
FROM facts_effective AS f
WHERE (p_start IS NULL OR f.period_start >= p_start)
  AND (p_end IS NULL OR f.period_end <= p_end)
  AND (p_platforms IS NULL OR list_contains(p_platforms, f.platform))
  AND (p_accounts IS NULL OR list_contains(p_accounts, f.account))
  AND (p_campaign IS NULL OR f.campaign = p_campaign OR EXISTS (
        SELECT 1 FROM campaign_ranges AS r
        WHERE r.name = p_campaign
          AND f.period_start >= r.range_start AND f.period_end <= r.range_end));

-- Per platform, what it reached and what it cost: the base every return-on-investment ratio
-- (queries/share_of_staff_hours.sql, ad_cost_per_view.sql, cost_per_view.sql,
-- views_per_staff_hour.sql, engagement_rate.sql, views_per_follower.sql) is computed from.
-- engagements: the platform's own total, else reactions + comments + shares + saves.
-- staff_cost: hours × the platform's own loaded hourly cost, else p_hourly_cost.
-- all_in_cost: ad spend + staff cost; has_cost: whether spend or hours are known at all.
CREATE OR REPLACE MACRO platform_effort(p_start, p_end, p_platforms, p_campaign, p_accounts, p_hourly_cost) AS TABLE
WITH per_platform AS (
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
    FROM filtered_facts(p_start, p_end, p_platforms, p_campaign, p_accounts)
    GROUP BY platform
)
SELECT
    p.*,
    p.staff_hours * coalesce(c.cost, p_hourly_cost) AS staff_cost,
    coalesce(p.spend, 0) + coalesce(p.staff_hours * coalesce(c.cost, p_hourly_cost), 0) AS all_in_cost,
    p.spend IS NOT NULL OR p.staff_hours IS NOT NULL AS has_cost
FROM per_platform AS p
LEFT JOIN hourly_costs AS c USING (platform);
