{#-
    Generic test: `expression` holds on every row (optionally only where `where_clause`).
    Fails with the rows where it is false or null.
-#}
{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
{% endtest %}
