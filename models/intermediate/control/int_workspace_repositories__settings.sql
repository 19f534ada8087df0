{#-
    Effective settings of every active (workspace, repository) pair: the repository's own
    setting when given, otherwise its workspace tier's (seeds/tiers.csv). An active add-on
    (seeds/addons.csv) raises retention to what it grants. A tier missing from the seed
    (e.g. a row written by hand) falls back to the `unknown_tier_*` vars so it still gets
    a priority score.
-#}
{%- set flags = fetch_flags() -%}

with

memberships as (

    select * from {{ ref('stg_control__workspace_repositories') }}
    where is_active

),

workspaces as (

    select * from {{ ref('stg_control__workspaces') }}
    where is_active

),

repositories as (

    select * from {{ ref('stg_control__repositories') }}

),

loaded_repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

tiers as (

    select * from {{ ref('tiers') }}

),

addon_retention as (

    select
        workspace_addons.workspace_slug,
        max(addons.retention_days) as addon_retention_days
    from {{ ref('stg_control__workspace_addons') }} as workspace_addons
    inner join {{ ref('addons') }} as addons
        on workspace_addons.addon = addons.addon
    where workspace_addons.is_active
    group by workspace_addons.workspace_slug

),

joined as (

    select
        memberships.workspace_slug,
        workspaces.workspace_name,
        workspaces.tier,
        tiers.tier is not null as is_known_tier,
        memberships.full_name,
        -- The loaders record GitHub's id in the control plane; until they have, the
        -- loaded metadata is matched on the (possibly renamed) name.
        coalesce(repositories.repository_id, loaded_repositories.repository_id)
            as repository_id,
        repositories.repository_status,
        coalesce(tiers.priority_points, {{ var('unknown_tier_priority_points') }})
            as tier_priority_points,
        coalesce(
            memberships.configured_sync_frequency_hours,
            tiers.sync_frequency_hours,
            {{ var('unknown_tier_sync_frequency_hours') }}
        ) as sync_frequency_hours,
        coalesce(
            memberships.configured_retention_days,
            tiers.retention_days,
            {{ var('unknown_tier_retention_days') }}
        ) as base_retention_days,
        addon_retention.addon_retention_days,
        {% for flag in flags %}
        memberships.fetch_{{ flag }},
        {% endfor %}
        memberships.added_at
    from memberships
    inner join workspaces
        on memberships.workspace_slug = workspaces.workspace_slug
    left join repositories
        on memberships.full_name = repositories.full_name
    left join loaded_repositories
        on
            coalesce(repositories.renamed_to, memberships.full_name)
            = loaded_repositories.full_name
    left join tiers
        on workspaces.tier = tiers.tier
    left join addon_retention
        on memberships.workspace_slug = addon_retention.workspace_slug

),

final as (

    select
        workspace_slug,
        workspace_name,
        tier,
        is_known_tier,
        full_name,
        repository_id,
        repository_status,
        tier_priority_points,
        sync_frequency_hours,
        case
            when addon_retention_days > base_retention_days then addon_retention_days
            else base_retention_days
        end as retention_days,
        addon_retention_days is not null as has_retention_addon,
        {% for flag in flags %}
        fetch_{{ flag }},
        {% endfor %}
        added_at
    from joined

)

select * from final
