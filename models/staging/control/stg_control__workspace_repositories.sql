{%- set flags = fetch_flags() -%}

with

source as (

    select * from {{ source('control', 'workspace_repositories') }}

),

renamed as (

    select
        workspace_slug,
        lower(full_name) as full_name,
        sync_frequency_hours as configured_sync_frequency_hours,
        data_retention_days as configured_retention_days,
        {% for flag in flags %}
        fetch_{{ flag }},
        {% endfor %}
        is_active,
        added_at,
        removed_at,
        updated_at
    from source

)

select * from renamed
