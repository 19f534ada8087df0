with

source as (

    select * from {{ source_or_empty('github', 'pull_request_labels') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'pull_request_labels') }}

),

renamed as (

    select
        pull_request_id,
        repository_id,
        name as label_name,
        color as label_color,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['pull_request_id', 'name'], 'source_versions') }}

)

select * from renamed
