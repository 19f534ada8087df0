with

source as (

    select * from {{ source_or_empty('github', 'discussions') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'discussions') }}

),

renamed as (

    select
        id as discussion_id,
        node_id as discussion_node_id,
        repository_id,
        number as discussion_number,
        title,
        category_id,
        category_name,
        {{ clean_login('author_login') }} as author_login,
        {{ is_bot('author_login', 'author_is_bot') }} as author_is_bot,
        coalesce(upvote_count, 0) as upvote_count,
        coalesce(comments_count, 0) as comments_count,
        coalesce(is_answered, false) as is_answered,
        answer_id,
        {{ to_utc('answer_chosen_at') }} as answer_chosen_at,
        coalesce(is_closed, false) as is_closed,
        {{ to_utc('closed_at') }} as closed_at,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
