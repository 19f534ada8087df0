{#-
    One row per vector and LSH band key (int_embedding_vectors.band_keys): similar_items
    joins open issues to the items sharing a key, its candidates for exact comparison.
    A key folds its band in (band * 2^bits + signature), so one column is the join.
    `unnest` (`explode` on Spark) in the select list behaves alike on every engine.
-#}
{{ config(materialized='table') }}

with

vectors as (

    select * from {{ ref('int_embedding_vectors') }}

),

final as (

    select
        item_type,
        item_id,
        repository_id,
        {{ unnest_array("band_keys") }} as band_key
    from vectors

)

select * from final
