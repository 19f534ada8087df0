with

source as (

    select * from {{ source_or_empty('github', 'releases') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'releases') }}

),

renamed as (

    select
        id as release_id,
        node_id as release_node_id,
        repository_id,
        tag_name,
        name as release_name,
        coalesce(is_draft, false) as is_draft,
        coalesce(is_prerelease, false) as is_prerelease,
        {{ clean_login('author_login') }} as author_login,
        {{ is_bot('author_login', 'null') }} as author_is_bot,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('published_at') }} as published_at,
        -- Only published, non-draft releases are releases to analysts.
        not coalesce(is_draft, false) and published_at is not null as is_published,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
