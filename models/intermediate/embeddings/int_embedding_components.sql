{#-
    The current model's vectors as rows: one per item and non-zero dimension. Cosine
    similarity is then a join on dimension_index and a sum of products, the same SQL on
    both engines. The current model is the one written last: `warehouse embed` removes the
    vectors of other models once every item has one, and until then only the new model's
    vectors are read, so two models' vectors are never compared.
-#}
{{ config(materialized='table') }}

with

vectors as (

    select * from {{ ref('stg_embeddings__vectors') }}

),

current_model as (

    select model
    from vectors
    order by embedded_at desc, model asc
    limit 1

),

current_vectors as (

    select
        vectors.item_type,
        vectors.item_id,
        vectors.repository_id,
        vectors.model,
        vectors.vector
    from vectors
    inner join current_model
        on vectors.model = current_model.model

),

components as (

    {{ embedding_components('current_vectors') }}

),

final as (

    select
        item_type,
        item_id,
        repository_id,
        model,
        dimension_index,
        component
    from components
    where component <> 0

)

select * from final
