with

source as (

    select * from {{ source_or_empty('github', 'issue_comments') }}

),

deduplicated as (

    select
        *,
        {{ version_rank(['id'], 'updated_at desc nulls last') }} as version_rank
    from source

),

renamed as (

    select
        id as issue_comment_id,
        node_id as issue_comment_node_id,
        repository_id,
        issue_id,
        {{ clean_login('author_login') }} as author_login,
        {{ is_bot('author_login', 'author_is_bot') }} as author_is_bot,
        coalesce(reactions_count, 0) as reactions_count,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at,
        _dlt_load_id as dlt_load_id
    from deduplicated
    where version_rank = 1

)

select * from renamed
