{#-
    The median of `value` per workspace, range and period of workspace_metrics_cache, over
    the rows of `relation` (with repository_id and the day `day` each value belongs to)
    whose day lies in the period and inside the repository's retention window for the
    workspace. Reads the calling model's `windows` (int_workspace_repository_windows) and
    `grid` (each workspace's periods) CTEs; `name` is the output column.
-#}
{% macro workspace_period_median(relation, value, day, name) -%}
    select
        windows.workspace_slug,
        grid.time_range,
        grid.period,
        {{ median('source_rows.' ~ value) }} as {{ name }}
    from {{ relation }} as source_rows
    inner join windows
        on source_rows.repository_id = windows.repository_id
    inner join grid
        on
            windows.workspace_slug = grid.workspace_slug
            and source_rows.{{ day }} between grid.period_start and grid.period_end
    where source_rows.{{ day }} >= windows.window_start_date
    group by windows.workspace_slug, grid.time_range, grid.period
{%- endmacro %}
