with

source as (

    select * from {{ source_or_empty('github', 'issue_labels') }}

),

deduplicated as (

    select
        *,
        {{ version_rank(['issue_id', 'name']) }} as version_rank
    from source

),

renamed as (

    select
        issue_id,
        repository_id,
        name as label_name,
        color as label_color,
        _dlt_load_id as dlt_load_id
    from deduplicated
    where version_rank = 1

)

select * from renamed
