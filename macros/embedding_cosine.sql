{#-
    Cosine similarity of two embedding arrays (float[] on DuckDB, real[] on PostgreSQL)
    whose norms are known (embedding_norm), as a double. The default is a scalar subquery
    over the left array unnested with its positions, reading the right one by subscript
    (PostgreSQL; measured ~20% faster there than zipping both with `unnest(a, b)`, about
    80 µs a pair for 256 dimensions); DuckDB has native list functions. Sums run in
    double precision.
-#}
{% macro embedding_cosine(left_vector, right_vector, left_norm, right_norm) -%}
    {{ return(adapter.dispatch('embedding_cosine')(left_vector, right_vector, left_norm, right_norm)) }}
{%- endmacro %}

{% macro default__embedding_cosine(left_vector, right_vector, left_norm, right_norm) -%}
    (
        select
            sum(
                cast(left_components.component as double precision)
                * {{ right_vector }}[left_components.dimension_index]
            )
        from unnest({{ left_vector }})
            with ordinality as left_components (component, dimension_index)
    ) / ({{ left_norm }} * {{ right_norm }})
{%- endmacro %}

{#- Spark: higher-order array functions, summed in double as elsewhere. -#}
{% macro spark__embedding_cosine(left_vector, right_vector, left_norm, right_norm) -%}
    aggregate(
        zip_with({{ left_vector }}, {{ right_vector }}, (l, r) -> cast(l as double) * r),
        cast(0 as double), (total, x) -> total + x
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

{% macro spark__embedding_norm(vector) -%}
    sqrt(aggregate({{ vector }}, cast(0 as double), (total, x) -> total + cast(x as double) * x))
{%- endmacro %}

{% macro duckdb__embedding_norm(vector) -%}
    sqrt(cast(list_dot_product({{ vector }}, {{ vector }}) as double))
{%- endmacro %}

{#-
    Bits in which two LSH signatures (bigint[] of lsh.SIGNATURE_WORDS words,
    loaders/embeddings/lsh.py) differ: an xor and a bit count per word. PostgreSQL counts
    bits of bytea only, hence int8send; DuckDB counts them on integers (as a tinyint: cast before adding).
-#}
{% macro embedding_signature_distance(left_signature, right_signature) -%}
    {{ return(adapter.dispatch('embedding_signature_distance')(left_signature, right_signature)) }}
{%- endmacro %}

{% macro default__embedding_signature_distance(left_signature, right_signature) -%}
    {%- for word in range(1, 6) %}
    {{ '+ ' if not loop.first }}bit_count(int8send({{ left_signature }}[{{ word }}] # {{ right_signature }}[{{ word }}]))
    {%- endfor %}
{%- endmacro %}

{#- Spark: `^` is xor; element_at is 1-based like the other engines' subscripts. -#}
{% macro spark__embedding_signature_distance(left_signature, right_signature) -%}
    {%- for word in range(1, 6) %}
    {{ '+ ' if not loop.first }}bit_count(element_at({{ left_signature }}, {{ word }}) ^ element_at({{ right_signature }}, {{ word }}))
    {%- endfor %}
{%- endmacro %}

{% macro duckdb__embedding_signature_distance(left_signature, right_signature) -%}
    {%- for word in range(1, 6) %}
    {{ '+ ' if not loop.first }}cast(bit_count(xor({{ left_signature }}[{{ word }}], {{ right_signature }}[{{ word }}])) as integer)
    {%- endfor %}
{%- endmacro %}
