with

source as (

    select * from {{ source_or_empty('github', 'issue_labels') }}

),

-- The raw table read again for the latest-version check (see is_latest_version).
source_versions as (

    select * from {{ source_or_empty('github', 'issue_labels') }}

),

renamed as (

    select
        issue_id,
        repository_id,
        name as label_name,
        color as label_color,
        _dlt_load_id as dlt_load_id
    from source
    where {{ is_latest_version('source', ['issue_id', 'name'], 'source_versions') }}

)

select * from renamed
