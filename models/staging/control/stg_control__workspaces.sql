with

source as (

    select * from {{ source('control', 'workspaces') }}

),

renamed as (

    select
        slug as workspace_slug,
        name as workspace_name,
        tier,
        billing_customer_id,
        is_active,
        created_at,
        updated_at
    from source

)

select * from renamed
