with

source as (

    -- null_missing_columns: a warehouse loaded before the timeline columns existed lacks them.
    select * from {{ source_or_empty('github', 'issue_events', null_missing_columns=true) }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'issue_events') }}

),

renamed as (

    select
        id as issue_event_id,
        issue_id,
        repository_id,
        lower(event) as event_type,
        {{ clean_login('actor_login') }} as actor_login,
        {{ is_bot('actor_login', 'actor_is_bot') }} as actor_is_bot,
        {{ to_utc('created_at') }} as created_at,
        label_name,
        {{ clean_login('assignee_login') }} as assignee_login,
        milestone_title,
        lower(subject_type) as subject_type,
        subject_node_id,
        subject_number,
        lower(subject_repository_full_name) as subject_repository_full_name,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['id'], 'source_versions') }}

)

select * from renamed
