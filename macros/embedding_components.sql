{#-
    One row per (vector, dimension) of `relation`'s `vector` column: every column of the
    relation plus `dimension_index` (1-based) and `component`. Vectors are native arrays
    (float[] on DuckDB, real[] on PostgreSQL); each engine unnests with its position.
-#}
{% macro embedding_components(relation) -%}
    {{ return(adapter.dispatch('embedding_components')(relation)) }}
{%- endmacro %}

{% macro default__embedding_components(relation) -%}
    select
        vectors.*,
        components.dimension_index,
        cast(components.component as double precision) as component
    from {{ relation }} as vectors
    cross join lateral unnest(vectors.vector)
        with ordinality as components (component, dimension_index)
{%- endmacro %}

{% macro spark__embedding_components(relation) -%}
    select
        vectors.*,
        components.dimension_position + 1 as dimension_index,
        cast(components.component as double) as component
    from {{ relation }} as vectors
    lateral view posexplode(vectors.vector) components as dimension_position, component
{%- endmacro %}

{% macro duckdb__embedding_components(relation) -%}
    select
        vectors.*,
        unnest(range(1, len(vectors.vector) + 1)) as dimension_index,
        cast(unnest(vectors.vector) as double precision) as component
    from {{ relation }} as vectors
{%- endmacro %}
