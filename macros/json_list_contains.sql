{#-
    Whether the JSON array under top-level key `key` of a JSON object stored as text
    (e.g. counts_json '{"done": ["issues", "commits"]}') contains the string `value` (a SQL
    expression). Null when the text is null. Each engine reads JSON its own way.
-#}
{% macro json_list_contains(column, key, value) -%}
    {{ return(adapter.dispatch('json_list_contains')(column, key, value)) }}
{%- endmacro %}

{% macro default__json_list_contains(column, key, value) -%}
    coalesce(
        (cast({{ column }} as jsonb) -> '{{ key }}') @> to_jsonb(cast({{ value }} as text)),
        false
    )
{%- endmacro %}

{% macro spark__json_list_contains(column, key, value) -%}
    coalesce(
        array_contains(
            from_json(get_json_object({{ column }}, '$.{{ key }}'), 'array<string>'), {{ value }}
        ),
        false
    )
{%- endmacro %}

{% macro duckdb__json_list_contains(column, key, value) -%}
    coalesce(
        list_contains(cast(json_extract({{ column }}, '$.{{ key }}') as varchar[]), {{ value }}),
        false
    )
{%- endmacro %}
