{#-
    Post-hook of daily_activity_metrics: delete the rows that left every retention window.
    `windows` holds one row per repository and window day, and each repository's window is
    one unbroken run of days, so a stored row is kept iff it lies within its repository's
    first..last window day (no window at all: the repository is no longer tracked).
      - PostgreSQL: the stored repositories, their windows and the rows outside them are
        index probes (macros/repository_day_ranges.sql): 3 ms at 65,700 rows, where the
        anti-join below read every stored row and window day on each run (23 ms), though a
        run rarely deletes anything (EXPLAIN ANALYZE on benchmarks/dbt_build.py data).
      - DuckDB: the anti-join, one pass over each relation (7 ms). `delete ... using` the
        rows of days_outside_range took 180 ms there.
-#}
{% macro delete_rows_outside_windows(relation, windows) -%}
    {{ return(adapter.dispatch('delete_rows_outside_windows')(relation, windows)) }}
{%- endmacro %}

{% macro postgres__delete_rows_outside_windows(relation, windows) -%}
    delete from {{ relation }} as stored
    using (
        {{ days_outside_range(relation, windows, stored_repository_ids(relation)) }}
    ) as expired
    where
        stored.repository_id = expired.repository_id
        and stored.activity_date = expired.activity_date
{%- endmacro %}

{% macro default__delete_rows_outside_windows(relation, windows) -%}
    delete from {{ relation }}
    where not exists (
        select 1
        from {{ repository_day_bounds(windows) }} as repository_windows
        where
            repository_windows.repository_id = {{ relation }}.repository_id
            and {{ relation }}.activity_date
            between repository_windows.first_date and repository_windows.last_date
    )
{%- endmacro %}

{#- Spark rebuilds the model in full from the window spine on every run
    (macros/incremental_materialization.sql), so no row can lie outside a window; its
    Parquet tables have no DELETE either. -#}
{% macro spark__delete_rows_outside_windows(relation, windows) -%}
{%- endmacro %}
