-- Follower figures per platform, account and period of the chart (day, ISO week from Monday, or
-- calendar month), for the follower evolution chart.
-- followers_total is a level (a count on the day its period ends, never a sum): the period's is
-- the account's count on the latest day it has one. followers_gained and followers_lost are
-- flows and add up, over the figures whose own period lies inside the chart's period (a month's
-- gain is never spread over its weeks).
-- Returns: platform, account, period_start (the chart's period), period_end (the latest day a
-- figure of that period ends), followers_total, followers_gained, followers_lost, rows.
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL), $campaign (VARCHAR
-- or NULL; '' for the figures of no campaign), $granularity ('day', 'week' or 'month'; NULL for 'day').
WITH buckets AS (
    SELECT
        platform,
        account,
        period_end,
        followers_total,
        followers_gained,
        followers_lost,
        rows,
        CAST(date_trunc(coalesce($granularity, 'day'), period_end) AS DATE)   AS period,
        CAST(date_trunc(coalesce($granularity, 'day'), period_start) AS DATE) AS first_period
    FROM filtered_figures($start, $end, $platforms, $campaign, $accounts)
    WHERE period_start IS NOT NULL
      AND coalesce(followers_total, followers_gained, followers_lost) IS NOT NULL
),
reduced AS (
    -- One pass: the latest count of the period (of two counts given for the same last day, as
    -- when two imports the counting rules both keep repeat it, the larger: one level, not two),
    -- and the flows of the figures lying inside the period.
    SELECT
        platform,
        account,
        period                                                        AS period_start,
        max(period_end)                                               AS period_end,
        arg_max(followers_total, struct_pack(day := period_end, count := followers_total))
            FILTER (WHERE followers_total IS NOT NULL)                AS followers_total,
        sum(followers_gained) FILTER (WHERE first_period = period)    AS followers_gained,
        sum(followers_lost) FILTER (WHERE first_period = period)      AS followers_lost,
        sum(rows)                                                     AS rows
    FROM buckets
    GROUP BY platform, account, period
)
SELECT *
FROM reduced
WHERE coalesce(followers_total, followers_gained, followers_lost) IS NOT NULL
ORDER BY platform, account, period_start;
