{#-
    One row per active workspace: its current state (the sums of workspace_repository_state
    over its repositories) and the cache metadata the workspace page shows: when this
    calculation ran, the as-of time it reflects and the newest repository data it holds.
    Freshness (is_stale) is decided at read time by workspace_cache_status.
-#}
{%- set state_columns = [
    'open_issues', 'open_prs', 'draft_prs', 'stargazers_total', 'forks_total', 'watchers_total'
] -%}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug']}]),
    )
}}

with

workspaces as (

    select workspace_slug from {{ ref('stg_control__workspaces') }}
    where is_active

),

repository_state as (

    select * from {{ ref('workspace_repository_state') }}

),

summed as (

    select
        workspace_slug,
        count(*) as repositories_count,
        {%- for column in state_columns %}
        sum({{ column }}) as {{ column }},
        {%- endfor %}
        max(metadata_fetched_at) as data_fetched_at
    from repository_state
    group by workspace_slug

),

final as (

    select
        workspaces.workspace_slug,
        {%- for column in ['repositories_count'] + state_columns %}
        cast(coalesce(summed.{{ column }}, 0) as bigint) as {{ column }},
        {%- endfor %}
        summed.data_fetched_at,
        {{ as_of_timestamp() }} as computed_as_of,
        {{ to_utc('current_timestamp') }} as calculated_at
    from workspaces
    left join summed
        on workspaces.workspace_slug = summed.workspace_slug

)

select * from final
