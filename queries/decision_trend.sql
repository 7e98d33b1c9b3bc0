-- Views and staff hours per platform and calendar month: the raw material of the Decide page's trend
-- (first months against last months) and of the what-if simulator's range of views per staff hour.
-- A day row and a post count in the month of their date; a dated period counts only when it lies
-- within one calendar month (a hand-typed month); longer periods and undated summaries are left out,
-- since they cannot be placed in a month (they still count in the period totals of canalyse.roi.roi_table).
-- Returns: platform, month (DATE, first day), views (NULL when no row of the month has views),
-- staff_hours (NULL when none has hours), views_per_staff_hour (NULL without views or hours).
-- Parameters: $start, $end (DATE or NULL), $platforms, $accounts (VARCHAR[] or NULL),
-- $campaign (VARCHAR or NULL).
WITH monthly AS (
    SELECT
        platform,
        date_trunc('month', period_start)::DATE AS month,
        sum(views) AS views,
        sum(staff_hours) AS staff_hours
    FROM filtered_figures($start, $end, $platforms, $campaign, $accounts)
    WHERE period_start IS NOT NULL
      AND date_trunc('month', period_start) = date_trunc('month', coalesce(period_end, period_start))
      AND (views IS NOT NULL OR staff_hours IS NOT NULL)
    GROUP BY ALL
)
SELECT
    platform,
    month,
    views,
    staff_hours,
    views / nullif(staff_hours, 0) AS views_per_staff_hour
FROM monthly
ORDER BY platform, month;
