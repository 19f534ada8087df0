with

source as (

    select * from {{ source_or_empty('github', 'commits') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'commits') }}

),

renamed as (

    select
        repository_id,
        sha as commit_sha,
        message_headline,
        -- Commits with no linked GitHub user keep their git author name only.
        {{ clean_login('author_login') }} as author_login,
        author_id,
        author_name,
        {{ is_bot('author_login', 'author_is_bot') }} as author_is_bot,
        {{ clean_login('committer_login') }} as committer_login,
        {{ to_utc('authored_at') }} as authored_at,
        {{ to_utc('committed_at') }} as committed_at,
        coalesce(additions, 0) as additions,
        coalesce(deletions, 0) as deletions,
        coalesce(changed_files, 0) as changed_files,
        coalesce(parents_count, 1) as parents_count,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['repository_id', 'sha'], 'source_versions') }}

)

select * from renamed
