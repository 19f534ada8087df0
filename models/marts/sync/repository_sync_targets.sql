{#-
    One row per actively tracked repository: what the loaders fetch for it. A resource is
    fetched when any active workspace tracking the repository asked for it; history goes
    back to the longest retention and syncs happen at the shortest frequency among them.
-#}
{%- set flags = fetch_flags() -%}

with

queue as (

    select * from {{ ref('sync_queue') }}

),

final as (

    select
        full_name,
        max(repository_id) as repository_id,
        {% for flag in flags %}
        bool_or(fetch_{{ flag }}) as fetch_{{ flag }},
        {% endfor %}
        max(retention_days) as retention_days,
        min(sync_frequency_hours) as sync_frequency_hours,
        max(priority_score) as priority_score,
        bool_or(is_due) as is_due,
        max(last_sync_at) as last_sync_at,
        min(next_sync_at) as next_sync_at,
        min(added_at) as first_added_at,
        count(*) as workspaces_count,
        {{ dbt.listagg('workspace_slug', "','", 'order by workspace_slug') }} as workspace_slugs
    from queue
    group by full_name

)

select * from final
