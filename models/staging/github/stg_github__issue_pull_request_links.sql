with

source as (

    select * from {{ source_or_empty('github', 'issue_pull_request_links') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'issue_pull_request_links') }}

),

renamed as (

    select
        repository_id,
        pull_request_id,
        pull_request_node_id,
        pull_request_number,
        issue_node_id,
        issue_id,
        issue_number,
        lower(issue_repository_full_name) as issue_repository_full_name,
        _dlt_load_id as dlt_load_id
    from source
    where
        {{ is_latest_version('source', ['pull_request_id', 'issue_node_id'], 'source_versions') }}

)

select * from renamed
