with

source as (

    select * from {{ source_or_empty('github', 'discussion_categories') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'discussion_categories') }}

),

renamed as (

    select
        id as category_id,
        repository_id,
        name as category_name,
        slug as category_slug,
        coalesce(is_answerable, false) as is_answerable,
        emoji,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
