{#-
    Cosine similarity of two embedding arrays (float[] on DuckDB, real[] on PostgreSQL)
    whose norms are known (embedding_norm), as a double. The default is standard SQL: a
    scalar subquery over `unnest(left, right)`, the arrays zipped, which PostgreSQL runs
    as is; DuckDB has native list functions. Sums run in double precision.
-#}
{% macro embedding_cosine(left_vector, right_vector, left_norm, right_norm) -%}
    {{ return(adapter.dispatch('embedding_cosine')(left_vector, right_vector, left_norm, right_norm)) }}
{%- endmacro %}

{% macro default__embedding_cosine(left_vector, right_vector, left_norm, right_norm) -%}
    (
        select sum(cast(zipped.left_value as double precision) * zipped.right_value)
        from unnest({{ left_vector }}, {{ right_vector }}) as zipped (left_value, right_value)
    ) / ({{ left_norm }} * {{ right_norm }})
{%- endmacro %}

{% macro duckdb__embedding_cosine(left_vector, right_vector, left_norm, right_norm) -%}
    cast(list_dot_product({{ left_vector }}, {{ right_vector }}) as double)
    / ({{ left_norm }} * {{ right_norm }})
{%- endmacro %}

{#- The L2 norm of an embedding array, as a double. -#}
{% macro embedding_norm(vector) -%}
    {{ return(adapter.dispatch('embedding_norm')(vector)) }}
{%- endmacro %}

{% macro default__embedding_norm(vector) -%}
    (
        select sqrt(sum(cast(components.value as double precision) * components.value))
        from unnest({{ vector }}) as components (value)
    )
{%- endmacro %}

{% macro duckdb__embedding_norm(vector) -%}
    sqrt(cast(list_dot_product({{ vector }}, {{ vector }}) as double))
{%- endmacro %}
