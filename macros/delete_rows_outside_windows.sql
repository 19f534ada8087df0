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

{#-
    Spark: no DELETE on Parquet tables, so the partitions (activity_date) holding a row
    outside its window are rewritten without it (insert_overwrite of those partitions,
    read from the table itself), and those left with no row are dropped. A query finds
    them first: most runs delete nothing and write nothing. Runs its statements itself
    (run_query) and renders to nothing, so dbt skips the hook's empty SQL.
-#}
{% macro spark__delete_rows_outside_windows(relation, windows) -%}
    {%- if execute -%}
        {%- set inside -%}
            (windows.repository_id is not null
            and stored.activity_date between windows.first_date and windows.last_date)
        {%- endset -%}
        {%- set stored_in_windows -%}
            {{ relation }} as stored
            left join {{ repository_day_bounds(windows) }} as windows
                on stored.repository_id = windows.repository_id
        {%- endset -%}
        {#- Partitions with a row outside its window; keeps_rows: one inside it too. -#}
        {%- set partitions -%}
            select
                stored.activity_date,
                cast(stored.activity_date as string) as activity_day,
                max(case when {{ inside }} then 1 else 0 end) as keeps_rows
            from {{ stored_in_windows }}
            group by stored.activity_date
            having min(case when {{ inside }} then 1 else 0 end) = 0
        {%- endset -%}
        {%- set rewritten = [] -%}
        {%- set emptied = [] -%}
        {%- for row in run_query(partitions).rows -%}
            {%- do (rewritten if row['keeps_rows'] == 1 else emptied).append(row['activity_day']) -%}
        {%- endfor -%}
        {%- if rewritten -%}
            {#- Table order: the partition column is last there and in the insert. -#}
            {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') -%}
            {%- do run_query('set spark.sql.sources.partitionOverwriteMode = DYNAMIC') -%}
            {#- The days come from the query again, not as date literals: a literal list is
                pushed to the metastore as a partition filter, which Spark's embedded Derby
                metastore fails on (INTERNAL_ERROR_HIVE_METASTORE_PARTITION_FILTER). -#}
            {%- do run_query(
                'insert overwrite table ' ~ relation ~ ' partition (activity_date)'
                ~ ' select ' ~ qualified('stored', columns) ~ ' from ' ~ stored_in_windows
                ~ ' where ' ~ inside ~ ' and stored.activity_date in'
                ~ ' (select activity_date from (' ~ partitions ~ ') where keeps_rows = 1)'
                ~ ' distribute by stored.activity_date') -%}
        {%- endif -%}
        {%- for chunk in emptied | batch(200) -%}
            {%- set specs = [] -%}
            {%- for day in chunk -%}
                {%- do specs.append("partition (activity_date = date'" ~ day ~ "')") -%}
            {%- endfor -%}
            {%- do run_query(
                'alter table ' ~ relation ~ ' drop if exists ' ~ specs | join(', ')) -%}
        {%- endfor -%}
        {{ log(relation ~ ': rows outside every window; ' ~ rewritten | length
            ~ ' partitions rewritten, ' ~ emptied | length ~ ' dropped') }}
    {%- endif -%}
{%- endmacro %}
