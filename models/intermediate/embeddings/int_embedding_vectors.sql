{#-
    The vectors similar_items compares: the current model's, one row per item, with their
    norm and LSH band keys. The current model (and its LSH scheme) is the one written last:
    `warehouse embed` removes other models' vectors once every item has one and gives
    stored vectors keys of the current scheme before embedding, so until a model change
    is complete only the new model's vectors are read and two models are never compared.
    Zero vectors (no features at all) are left out: their cosine is undefined.
-#}
{{ config(materialized='table') }}

with

vectors as (

    select * from {{ ref('stg_embeddings__vectors') }}

),

current_model as (

    select
        model,
        lsh_scheme
    from vectors
    where band_keys is not null
    order by embedded_at desc, model asc
    limit 1

),

current_vectors as (

    select
        vectors.item_type,
        vectors.item_id,
        vectors.repository_id,
        vectors.model,
        vectors.vector,
        vectors.band_keys,
        vectors.lsh_signature,
        {{ embedding_norm('vectors.vector') }} as vector_norm
    from vectors
    inner join current_model
        on
            vectors.model = current_model.model
            and vectors.lsh_scheme = current_model.lsh_scheme

),

final as (

    select * from current_vectors
    where vector_norm > 0

)

select * from final
