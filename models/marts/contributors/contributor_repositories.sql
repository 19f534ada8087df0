{#-
    One row per workspace, contributor and repository they contributed to (inside the
    workspace's retention window), with the repository's owner avatar for display.
-#}
{{ config(tags=['nightly']) }}

with

events as (

    select * from {{ ref('int_workspace_activity_events') }}
    where is_contribution

),

repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

aggregated as (

    select
        workspace_slug,
        actor_login,
        repository_id,
        min(full_name) as full_name,
        count(*) as contributions_count,
        min(occurred_at) as first_activity_at,
        max(occurred_at) as last_activity_at
    from events
    group by workspace_slug, actor_login, repository_id

),

final as (

    select
        aggregated.workspace_slug,
        aggregated.actor_login as contributor_login,
        aggregated.repository_id,
        aggregated.full_name,
        repositories.owner_avatar_url as repository_avatar_url,
        aggregated.contributions_count,
        aggregated.first_activity_at,
        aggregated.last_activity_at
    from aggregated
    left join repositories
        on aggregated.repository_id = repositories.repository_id

)

select * from final
