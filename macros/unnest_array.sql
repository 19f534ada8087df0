{#- One row per element of an array column, written in a select list (a generator):
    `unnest` on PostgreSQL and DuckDB, `explode` on Spark. Empty or null arrays give no row. -#}
{% macro unnest_array(column) -%}
    {{ return(adapter.dispatch('unnest_array')(column)) }}
{%- endmacro %}

{% macro default__unnest_array(column) -%}
    unnest({{ column }})
{%- endmacro %}

{% macro spark__unnest_array(column) -%}
    explode({{ column }})
{%- endmacro %}
