{#-
    One row per GitHub repository that at least one active workspace tracks, with the
    longest retention any of them asks for (that is what the warehouse must keep) and the
    most demanding sync frequency. Repositories never loaded (no GitHub id yet) are left
    out: nothing can be measured for them.
-#}
with

settings as (

    select * from {{ ref('int_workspace_repositories__settings') }}
    where repository_id is not null

),

github_repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

aggregated as (

    select
        repository_id,
        min(full_name) as full_name,
        max(retention_days) as retention_days,
        min(sync_frequency_hours) as sync_frequency_hours,
        min(added_at) as first_added_at,
        count(*) as workspaces_count
    from settings
    group by repository_id

),

final as (

    select
        aggregated.repository_id,
        aggregated.full_name,
        github_repositories.owner_avatar_url,
        aggregated.retention_days,
        aggregated.sync_frequency_hours,
        {{ to_utc('aggregated.first_added_at') }} as first_added_at,
        aggregated.workspaces_count
    from aggregated
    left join github_repositories
        on aggregated.repository_id = github_repositories.repository_id

)

select * from final
