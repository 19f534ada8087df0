{#-
    The activity stream as each workspace sees it: events of its repositories that fall
    inside that workspace's retention window for the repository, up to the as-of date.
    A repository tracked by two workspaces appears once for each.
-#}
with

events as (

    select * from {{ ref('int_activity_events') }}

),

windows as (

    select * from {{ ref('int_workspace_repository_windows') }}

),

final as (

    select
        windows.workspace_slug,
        windows.full_name,
        events.*
    from events
    inner join windows
        on events.repository_id = windows.repository_id
    where
        events.activity_type <> 'retracted'
        and events.activity_date >= windows.window_start_date
        and events.activity_date <= {{ as_of_date() }}

)

select * from final
