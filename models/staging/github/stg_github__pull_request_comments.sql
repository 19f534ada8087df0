with

source as (

    select * from {{ source_or_empty('github', 'pull_request_comments') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'pull_request_comments') }}

),

renamed as (

    select
        id as pull_request_comment_id,
        node_id as pull_request_comment_node_id,
        repository_id,
        pull_request_id,
        {{ clean_login('author_login') }} as author_login,
        {{ is_bot('author_login', 'author_is_bot') }} as author_is_bot,
        coalesce(reactions_count, 0) as reactions_count,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
