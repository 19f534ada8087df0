with

source as (

    select * from {{ source('control', 'repository_coverage') }}

),

renamed as (

    select
        lower(full_name) as full_name,
        history_complete_from,
        untracked_since,
        purged_at,
        updated_at
    from source

)

select * from renamed
