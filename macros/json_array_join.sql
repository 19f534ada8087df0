{#-
    A JSON array of strings stored as text (dlt's json columns, e.g. '["ann", "bob"]')
    joined into one string in array order, e.g. 'ann, bob'; null for an empty array or
    null. Each engine reads JSON its own way.
-#}
{% macro json_array_join(column, separator=', ') -%}
    {{ return(adapter.dispatch('json_array_join')(column, separator)) }}
{%- endmacro %}

{% macro default__json_array_join(column, separator) -%}
    (
        select string_agg(elements.value, '{{ separator }}' order by elements.position)
        from jsonb_array_elements_text(cast({{ column }} as jsonb))
            with ordinality as elements (value, position)
    )
{%- endmacro %}

{% macro spark__json_array_join(column, separator) -%}
    nullif(array_join(from_json({{ column }}, 'array<string>'), '{{ separator }}'), '')
{%- endmacro %}

{% macro duckdb__json_array_join(column, separator) -%}
    nullif(
        array_to_string(
            cast(json_extract_string({{ column }}, '$[*]') as varchar[]), '{{ separator }}'
        ),
        ''
    )
{%- endmacro %}
