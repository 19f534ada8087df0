{#-
    The current model's vectors as rows: one per item and non-zero dimension, for ad-hoc
    SQL such as "items similar to this text" (docs/embeddings.md). A view: similar_items
    reads the arrays (int_embedding_vectors), so nothing is unnested unless asked for.
-#}
{{ config(materialized='view') }}

with

current_vectors as (

    select
        item_type,
        item_id,
        repository_id,
        model,
        vector
    from {{ ref('int_embedding_vectors') }}

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
