{#-
    Incremental models read only the rows of dlt loads they have not seen yet. The loads
    are looked up when the model compiles (just before it runs) and written into the SQL
    as literals, for two reasons:
      - both engines then filter on constants: PostgreSQL estimates the handful of new
        rows from its statistics and takes the `_dlt_load_id` indexes, where a subquery
        made it plan for the whole table and hash all of history; DuckDB can skip row
        groups by their min/max;
      - the set of loads a run processes is fixed before it starts, so a load that commits
        mid-run is left whole for the next run instead of being half-seen.

    unseen_load_ids(loads, watermark, ceiling=none): ids of loads committed (dlt's
    `inserted_at`) after `watermark` and, when given, no later than `ceiling`. Both are
    SQL expressions returning one timestamp (null watermark: every load). A model
    downstream of another incremental model passes the upstream's own watermark as the
    ceiling, so it never moves past loads whose rows the upstream has not processed.
-#}
{% macro unseen_load_ids(loads, watermark, ceiling=none) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select loads.dlt_load_id
        from {{ loads }} as loads
        where
            (({{ watermark }}) is null or loads.inserted_at > ({{ watermark }}))
            {%- if ceiling is not none %}
            and loads.inserted_at <= ({{ ceiling }})
            {%- endif %}
        order by loads.dlt_load_id
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{% endmacro %}

{#- `column in ('id', ...)` for a list of load ids; false for none (nothing new). Always
    quoted: a load id is text, even when it reads as a number. -#}
{% macro load_ids_filter(column, load_ids) -%}
    {{ literal_in(column, load_ids | map('string') | list) }}
{%- endmacro %}
