{#-
    PostgreSQL post-hook for the incremental and big intermediate models: refresh the planner's statistics when
    the table has none yet (just built) or when more than `changed_fraction` of its rows
    changed since the last analyze - what autovacuum would do, but before the next run
    plans against the table. Without statistics the next delete+insert hashed the whole
    table (a sequential scan of all history) instead of looking its keys up by index;
    analyzing after every run instead cost ~0.2 s on a million rows (benchmarks/dbt_build.py).
-#}
{% macro analyze_if_stale(relation, changed_fraction=0.1) -%}
    {{ return(adapter.dispatch('analyze_if_stale')(relation, changed_fraction)) }}
{%- endmacro %}

{#- Other engines keep no planner statistics to refresh: no SQL (an empty hook is skipped). -#}
{% macro default__analyze_if_stale(relation, changed_fraction) -%}
{%- endmacro %}

{% macro postgres__analyze_if_stale(relation, changed_fraction) -%}
    {%- set name = relation.include(database=false) -%}
    do $$
    begin
        if coalesce((
            select
                (last_analyze is null and last_autoanalyze is null)
                or n_mod_since_analyze > {{ changed_fraction }} * greatest(n_live_tup, 1000)
            from pg_stat_user_tables
            where relid = '{{ name }}'::regclass
        ), true) then
            analyze {{ name }};
        end if;
    end
    $$
{%- endmacro %}
