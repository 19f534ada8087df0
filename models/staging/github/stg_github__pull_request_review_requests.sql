with

source as (

    select * from {{ source_or_empty('github', 'pull_request_review_requests') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'pull_request_review_requests') }}

),

renamed as (

    select
        id as review_request_event_id,
        repository_id,
        pull_request_id,
        lower(event) as event_type,
        lower(reviewer_type) as reviewer_type,
        -- A user's login, or `org/team-slug` for a team; null when the reviewer is gone.
        {{ clean_login('reviewer_login') }} as reviewer_login,
        {{ clean_login('actor_login') }} as actor_login,
        {{ is_bot('actor_login', 'actor_is_bot') }} as actor_is_bot,
        {{ to_utc('created_at') }} as created_at,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
