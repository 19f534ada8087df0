with

source as (

    select * from {{ source_or_empty('github', 'actors') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'actors') }}

),

renamed as (

    select
        login as actor_login,
        avatar_url,
        {{ to_utc('fetched_at') }} as fetched_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['login'], 'source_versions') }}

)

select * from renamed
