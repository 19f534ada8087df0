with

source as (

    select * from {{ source_or_empty('github', 'stargazers') }}

),

deduplicated as (

    select
        *,
        {{ version_rank(['repository_id', 'user_id']) }} as version_rank
    from source

),

renamed as (

    select
        repository_id,
        user_id,
        {{ clean_login('user_login') }} as user_login,
        {{ is_bot('user_login', 'null') }} as user_is_bot,
        {{ to_utc('starred_at') }} as starred_at,
        _dlt_load_id as dlt_load_id
    from deduplicated
    where version_rank = 1

)

select * from renamed
