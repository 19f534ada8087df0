{#-
    An 8-byte float type name. dbt's type_float() is not one: it renders `float`, which is
    4 bytes on DuckDB. PostgreSQL and DuckDB spell it `double precision`, Spark `double`.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
