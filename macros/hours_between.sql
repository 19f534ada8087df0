{#-
    Elapsed hours between two timestamps as a float. dbt.datediff counts whole second
    boundaries identically on both engines; casting before dividing keeps fractions.
-#}
{% macro hours_between(start_column, end_column) -%}
    (cast({{ dbt.datediff(start_column, end_column, 'second') }} as {{ type_double() }}) / 3600.0)
{%- endmacro %}
