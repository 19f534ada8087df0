with

source as (

    select * from {{ source_or_empty('github', 'forks') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'forks') }}

),

renamed as (

    select
        id as fork_id,
        node_id as fork_node_id,
        repository_id,
        lower(full_name) as fork_full_name,
        {{ clean_login('owner_login') }} as owner_login,
        {{ is_bot('owner_login', 'null') }} as owner_is_bot,
        {{ to_utc('created_at') }} as created_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
