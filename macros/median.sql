{#-
    Median (continuous, i.e. the mean of the two middle values for an even count) as an
    aggregate. PostgreSQL only has the ordered-set form; DuckDB has a faster native one.
-#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}
