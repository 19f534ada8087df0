with

source as (

    select * from {{ source_or_empty('github', 'events') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'events') }}

),

renamed as (

    select
        id as event_id,
        repository_id,
        type as event_type,
        {{ clean_login('actor_login') }} as actor_login,
        {{ is_bot('actor_login', 'actor_is_bot') }} as actor_is_bot,
        payload_action,
        {{ to_utc('created_at') }} as created_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
