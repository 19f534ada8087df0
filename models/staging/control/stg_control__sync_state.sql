with

source as (

    select * from {{ source('control', 'sync_state') }}

),

renamed as (

    select
        lower(full_name) as full_name,
        resource,
        last_sync_at,
        last_success_at,
        next_sync_at,
        last_status,
        attempts,
        last_error,
        items_loaded,
        updated_at
    from source

)

select * from renamed
