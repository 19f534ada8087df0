with

source as (

    select * from {{ source_or_empty('github', '_dlt_loads') }}

),

renamed as (

    select
        load_id as dlt_load_id,
        schema_name,
        -- dlt writes status 0 once every table of the load is committed.
        status = 0 as is_loaded,
        {{ to_utc('inserted_at') }} as inserted_at,
        {{ load_id_to_timestamp('load_id') }} as load_started_at
    from source

)

select * from renamed
