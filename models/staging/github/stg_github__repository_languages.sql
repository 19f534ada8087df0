with

source as (

    select * from {{ source_or_empty('github', 'repository_languages') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'repository_languages') }}

),

renamed as (

    select
        repository_id,
        language as language_name,
        color as language_color,
        coalesce(size_bytes, 0) as size_bytes,
        total_size_bytes,
        {{ to_utc('fetched_at') }} as fetched_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['repository_id', 'language'], 'source_versions') }}

)

select * from renamed
