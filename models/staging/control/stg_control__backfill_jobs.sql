with

source as (

    select * from {{ source('control', 'backfill_jobs') }}

),

renamed as (

    select
        id as backfill_job_id,
        workspace_slug,
        retention_days,
        status as job_status,
        trigger as job_trigger,
        webhook_id,
        billing_subscription_id,
        attempts,
        error as job_error,
        created_at,
        started_at,
        finished_at,
        updated_at
    from source

)

select * from renamed
