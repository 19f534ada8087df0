{#-
    Generic test: no two rows share the same values of `combination_of_columns` (a compound
    key). Fails with one row per duplicated combination. Nulls count as values: a key with
    a null part is caught by not_null tests on its columns.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns = combination_of_columns | join(', ') -%}
    select {{ columns }}, count(*) as duplicate_rows
    from {{ model }}
    group by {{ columns }}
    having count(*) > 1
{% endtest %}
