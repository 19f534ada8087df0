{#-
    Post-hook of daily_activity_metrics: delete the rows that left every retention window.
    `windows` holds one row per repository and window day, and each repository's window is
    one unbroken run of days, so a stored row is kept iff it lies within its repository's
    first..last window day (no window at all: the repository is no longer tracked).
    On PostgreSQL the stored repositories, their windows and the rows outside them are
    index probes (macros/repository_day_ranges.sql): 3 ms at 65,700 rows, where reading
    every stored row and window day cost 23 ms on each run, though a run rarely deletes
    anything (EXPLAIN ANALYZE on benchmarks/dbt_build.py data).
-#}
{% macro delete_rows_outside_windows(relation, windows) -%}
    delete from {{ relation }} as stored
    using (
        {{ days_outside_range(relation, windows, stored_repository_ids(relation)) }}
    ) as expired
    where
        stored.repository_id = expired.repository_id
        and stored.activity_date = expired.activity_date
{%- endmacro %}
