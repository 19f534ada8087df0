{#-
    What the planner loads next: one row per active (workspace, repository).
    priority_score = 50 + tier points + staleness + popularity, clamped to 0-100:
      staleness   never synced or last sync older than 7 days: +20; older than 3 days: +10
      popularity  more than 1000 stars: +10; more than 100: +5 (once metadata is loaded)
    A repository is due when it was never synced or its next_sync_at has passed; due_reason
    says why (first match): not due | history missing (its data was purged after the grace
    period: reloaded whole) | never synced | deferred by budget | retrying after failure |
    sync interval elapsed. is_history_complete says whether the raw history reaches back
    to this workspace's whole window (a window job fills it when it does not).
-#}
{%- set flags = fetch_flags() -%}

with

settings as (

    select * from {{ ref('int_workspace_repositories__settings') }}

),

sync_status as (

    select * from {{ ref('int_repositories__sync_status') }}

),

raw_repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

coverage as (

    select * from {{ ref('int_repositories__history_coverage') }}

),

joined as (

    select
        settings.*,
        sync_status.last_sync_at,
        sync_status.last_attempt_at,
        sync_status.next_sync_at,
        coalesce(sync_status.resources_failed, 0) as resources_failed,
        coalesce(sync_status.resources_deferred, 0) as resources_deferred,
        raw_repositories.stargazers_count,
        coverage.history_complete_from,
        coverage.history_complete_from_date,
        coverage.is_reloading_after_purge,
        {{ dbt.datediff('sync_status.last_sync_at', 'current_timestamp', 'minute') }}
            as minutes_since_sync
    from settings
    left join sync_status
        on settings.full_name = sync_status.full_name
    left join raw_repositories
        on settings.repository_id = raw_repositories.repository_id
    left join coverage
        on settings.full_name = coverage.full_name

),

scored as (

    select
        *,
        case
            when last_sync_at is null then {{ var('staleness_points_stale') }}
            when minutes_since_sync > 7 * 24 * 60 then {{ var('staleness_points_stale') }}
            when minutes_since_sync > 3 * 24 * 60 then {{ var('staleness_points_aging') }}
            else 0
        end as staleness_points,
        case
            when stargazers_count > 1000 then 10
            when stargazers_count > 100 then 5
            else 0
        end as popularity_points
    from joined

),

final as (

    select
        workspace_slug,
        workspace_name,
        tier,
        is_known_tier,
        full_name,
        repository_id,
        sync_frequency_hours,
        retention_days,
        {% for flag in flags %}
        fetch_{{ flag }},
        {% endfor %}
        added_at,
        last_sync_at,
        last_attempt_at,
        next_sync_at,
        last_sync_at is null as is_never_synced,
        stargazers_count,
        tier_priority_points,
        staleness_points,
        popularity_points,
        least(
            greatest(
                {{ var('base_priority') }}
                + tier_priority_points + staleness_points + popularity_points,
                0
            ),
            100
        ) as priority_score,
        (next_sync_at is null or next_sync_at <= current_timestamp) as is_due,
        case
            when next_sync_at > current_timestamp then 'not due'
            when is_reloading_after_purge then 'history missing'
            when last_attempt_at is null then 'never synced'
            when resources_deferred > 0 then 'deferred by budget'
            when resources_failed > 0 then 'retrying after failure'
            else 'sync interval elapsed'
        end as due_reason,
        resources_failed,
        resources_deferred,
        history_complete_from,
        coalesce(
            history_complete_from_date
            <= cast({{ dbt.dateadd('day', '1 - retention_days', as_of_date()) }} as date),
            false
        ) as is_history_complete
    from scored

)

select
    *,
    row_number() over (
        order by
            priority_score desc,
            next_sync_at asc nulls first,
            full_name asc,
            workspace_slug asc
    ) as queue_rank
from final
