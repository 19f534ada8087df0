with

source as (

    select * from {{ source('control', 'repositories') }}

),

renamed as (

    select
        lower(full_name) as full_name,
        github_id as repository_id,
        node_id as repository_node_id,
        lower(renamed_to) as renamed_to,
        status as repository_status,
        created_at,
        updated_at
    from source

)

select * from renamed
