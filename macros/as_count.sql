{#-
    A count column as bigint on every engine. DuckDB's sum() of integers is HUGEINT
    (128-bit), which pandas without numpy and most BI drivers cannot read; PostgreSQL's
    sum() of bigint is numeric. Counts fit in 64 bits.
-#}
{% macro as_count(expression) -%}
    cast({{ expression }} as {{ dbt.type_bigint() }})
{%- endmacro %}
