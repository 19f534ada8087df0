with

source as (

    select * from {{ source_or_empty('github', 'issues') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'issues') }}

),

renamed as (

    select
        id as issue_id,
        node_id as issue_node_id,
        repository_id,
        number as issue_number,
        title,
        lower(state) as state,
        state_reason,
        coalesce(is_locked, false) as is_locked,
        {{ clean_login('author_login') }} as author_login,
        author_id,
        {{ is_bot('author_login', 'author_is_bot') }} as author_is_bot,
        author_login is null or lower(author_login) = 'ghost' as author_is_ghost,
        {{ json_array_join('assignee_logins') }} as assignees,
        milestone_title,
        coalesce(comments_count, 0) as comments_count,
        coalesce(reactions_count, 0) as reactions_count,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at,
        -- closed_at is the latest close; it only counts while the issue is closed.
        case when lower(state) = 'closed' then {{ to_utc('closed_at') }} end as closed_at,
        lower(state) = 'closed' as is_closed,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
