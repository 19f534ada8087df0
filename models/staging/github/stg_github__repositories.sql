with

source as (

    select * from {{ source_or_empty('github', 'repositories') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'repositories') }}

),

renamed as (

    select
        id as repository_id,
        node_id as repository_node_id,
        lower(full_name) as full_name,
        owner_login,
        name as repository_name,
        owner_avatar_url,
        description,
        homepage_url,
        primary_language,
        coalesce(stargazers_count, 0) as stargazers_count,
        coalesce(forks_count, 0) as forks_count,
        coalesce(watchers_count, 0) as watchers_count,
        coalesce(is_archived, false) as is_archived,
        coalesce(is_fork, false) as is_fork,
        coalesce(is_private, false) as is_private,
        coalesce(has_discussions, false) as has_discussions,
        default_branch,
        html_url,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('updated_at') }} as updated_at,
        {{ to_utc('pushed_at') }} as pushed_at,
        {{ to_utc('fetched_at') }} as fetched_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
