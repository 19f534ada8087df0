with

source as (

    select * from {{ source_or_empty('github', 'discussion_comments') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'discussion_comments') }}

),

renamed as (

    select
        id as discussion_comment_id,
        node_id as discussion_comment_node_id,
        repository_id,
        discussion_id,
        reply_to_id,
        {{ clean_login('author_login') }} as author_login,
        {{ is_bot('author_login', 'author_is_bot') }} as author_is_bot,
        coalesce(upvote_count, 0) as upvote_count,
        coalesce(is_answer, false) as is_answer,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
