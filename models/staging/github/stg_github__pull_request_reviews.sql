with

source as (

    select * from {{ source_or_empty('github', 'pull_request_reviews') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'pull_request_reviews') }}

),

renamed as (

    select
        id as review_id,
        node_id as review_node_id,
        repository_id,
        pull_request_id,
        {{ clean_login('author_login') }} as author_login,
        {{ is_bot('author_login', 'author_is_bot') }} as author_is_bot,
        upper(state) as review_state,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('submitted_at') }} as submitted_at,
        -- A pending review is a draft only its author sees: not a review yet.
        submitted_at is not null and upper(coalesce(state, '')) <> 'PENDING' as is_submitted,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
