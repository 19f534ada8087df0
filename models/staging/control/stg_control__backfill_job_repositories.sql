with

source as (

    select * from {{ source('control', 'backfill_job_repositories') }}

),

renamed as (

    select
        job_id as backfill_job_id,
        lower(full_name) as full_name,
        status as repository_status,
        window_start,
        window_end,
        completed_until,
        items_total,
        items_loaded,
        counts_json,
        data_types,
        failed_data_types,
        attempts,
        error as repository_error,
        updated_at
    from source

)

select * from renamed
