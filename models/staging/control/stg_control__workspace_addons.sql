with

source as (

    select * from {{ source('control', 'workspace_addons') }}

),

renamed as (

    select
        workspace_slug,
        addon,
        source as addon_source,
        status as addon_status,
        status = 'active' as is_active,
        billing_subscription_id,
        updated_at
    from source

)

select * from renamed
