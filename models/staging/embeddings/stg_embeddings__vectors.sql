{#-
    Item embeddings, one row per item and model. Several models coexist only while a
    model change is being re-embedded; int_embedding_components keeps the current one.
-#}
with

source as (

    select * from {{ source_or_empty('embeddings', 'embeddings', null_missing_columns=true) }}

),

renamed as (

    select
        item_type,
        item_id,
        repository_id,
        model,
        dimension,
        content_hash,
        vector,
        {{ to_utc('embedded_at') }} as embedded_at,
        lsh_scheme,
        band_keys,
        lsh_signature
    from source

)

select * from renamed
