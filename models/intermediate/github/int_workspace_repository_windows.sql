{#-
    Each workspace's view of each of its repositories: the first UTC day it may see
    (as-of date minus its effective retention, plus one). Every workspace-level mart joins
    events through this, so data outside a workspace's retention never counts for it.
-#}
with

settings as (

    select * from {{ ref('int_workspace_repositories__settings') }}
    where repository_id is not null

),

-- A renamed repository tracked under both names is one GitHub id: keep one row.
per_repository as (

    select
        workspace_slug,
        repository_id,
        min(full_name) as full_name,
        max(retention_days) as retention_days
    from settings
    group by workspace_slug, repository_id

),

final as (

    select
        workspace_slug,
        repository_id,
        full_name,
        retention_days,
        cast({{ dbt.dateadd('day', '1 - retention_days', as_of_date()) }} as date)
            as window_start_date
    from per_repository

)

select * from final
