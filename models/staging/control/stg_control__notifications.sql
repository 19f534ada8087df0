with

source as (

    select * from {{ source('control', 'notifications') }}

),

renamed as (

    select
        id as notification_id,
        kind as notification_kind,
        workspace_slug,
        job_id as backfill_job_id,
        message,
        payload_json,
        delivery_status,
        delivery_attempts,
        delivery_error,
        created_at,
        delivered_at
    from source

)

select * from renamed
