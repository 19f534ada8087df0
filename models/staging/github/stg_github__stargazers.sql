with

source as (

    select * from {{ source_or_empty('github', 'stargazers') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'stargazers') }}

),

renamed as (

    select
        repository_id,
        user_id,
        {{ clean_login('user_login') }} as user_login,
        {{ is_bot('user_login', 'null') }} as user_is_bot,
        {{ to_utc('starred_at') }} as starred_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['repository_id', 'user_id'], 'source_versions') }}

)

select * from renamed
