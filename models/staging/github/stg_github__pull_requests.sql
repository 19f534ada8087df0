with

source as (

    -- null_missing_columns: a warehouse loaded before milestone and assignees existed lacks them.
    select * from {{ source_or_empty('github', 'pull_requests', null_missing_columns=true) }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'pull_requests') }}

),

renamed as (

    select
        id as pull_request_id,
        node_id as pull_request_node_id,
        repository_id,
        number as pull_request_number,
        title,
        upper(state) as state,
        coalesce(is_draft, false) as is_draft,
        {{ clean_login('author_login') }} as author_login,
        {{ is_bot('author_login', 'author_is_bot') }} as author_is_bot,
        {{ clean_login('merged_by_login') }} as merged_by_login,
        {{ is_bot('merged_by_login', 'false') }} as merged_by_is_bot,
        coalesce(additions, 0) as additions,
        coalesce(deletions, 0) as deletions,
        coalesce(changed_files, 0) as changed_files,
        coalesce(commits_count, 0) as commits_count,
        coalesce(comments_count, 0) as comments_count,
        base_ref,
        head_ref,
        head_repository_full_name,
        milestone_title,
        -- JSON list of logins, kept as text (staging never parses JSON).
        cast(assignee_logins as {{ dbt.type_string() }}) as assignee_logins,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at,
        {{ to_utc('closed_at') }} as closed_at,
        {{ to_utc('merged_at') }} as merged_at,
        -- Merged comes from merged_at only: state can lag or be absent.
        merged_at is not null as is_merged,
        closed_at is not null and merged_at is null as is_closed_unmerged,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
