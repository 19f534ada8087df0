{#-
    Issues opened in each range (24h, 7d, 30d, 90d before the as-of time) per active
    workspace, in long form so it is the same table on both engines (no JSON):
      row_kind = 'summary'     one row per workspace and range (zeros included),
                 'label'       one row per label carried by those issues,
                 'repository'  one row per repository with such issues,
                 'top_issue'   the most active issues (comments + reactions), up to
                               var('top_issues_limit'), ranked by issue_rank.
    Counts: issues_total, issues_open (still open now), issues_closed (closed now); close
    times over the closed ones. Only issues inside the repository's retention window count.
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug', 'time_range']}]),
    )
}}

with

issues as (

    select * from {{ ref('stg_github__issues') }}

),

labels as (

    select * from {{ ref('stg_github__issue_labels') }}

),

windows as (

    select * from {{ ref('int_workspace_repository_windows') }}

),

workspaces as (

    select workspace_slug from {{ ref('stg_control__workspaces') }}
    where is_active

),

ranges as (

    {{ time_ranges(['24h', '7d', '30d', '90d']) }}

),

range_issues as (

    select
        windows.workspace_slug,
        windows.full_name,
        ranges.time_range,
        issues.issue_id,
        issues.issue_number,
        issues.title,
        issues.is_closed,
        issues.comments_count,
        issues.reactions_count,
        issues.created_at,
        case
            when issues.is_closed then {{ hours_between('issues.created_at', 'issues.closed_at') }}
        end as hours_to_close
    from issues
    inner join windows
        on issues.repository_id = windows.repository_id
    cross join ranges
    where
        cast(issues.created_at as date) >= windows.window_start_date
        and issues.created_at
        > {{ dbt.dateadd('hour', '0 - ranges.range_hours', as_of_timestamp()) }}
        and issues.created_at <= {{ as_of_timestamp() }}

),

summary as (

    select
        workspaces.workspace_slug,
        ranges.time_range,
        'summary' as row_kind,
        'all' as row_key,
        cast(null as integer) as issue_rank,
        count(range_issues.issue_id) as issues_total,
        coalesce(count(case when not range_issues.is_closed then 1 end), 0) as issues_open,
        coalesce(count(case when range_issues.is_closed then 1 end), 0) as issues_closed,
        avg(range_issues.hours_to_close) as avg_hours_to_close,
        {{ median('range_issues.hours_to_close') }} as median_hours_to_close
    from workspaces
    cross join ranges
    left join range_issues
        on
            workspaces.workspace_slug = range_issues.workspace_slug
            and ranges.time_range = range_issues.time_range
    group by workspaces.workspace_slug, ranges.time_range

),

by_label as (

    select
        range_issues.workspace_slug,
        range_issues.time_range,
        'label' as row_kind,
        labels.label_name as row_key,
        cast(null as integer) as issue_rank,
        count(*) as issues_total,
        count(case when not range_issues.is_closed then 1 end) as issues_open,
        count(case when range_issues.is_closed then 1 end) as issues_closed,
        avg(range_issues.hours_to_close) as avg_hours_to_close,
        {{ median('range_issues.hours_to_close') }} as median_hours_to_close
    from range_issues
    inner join labels
        on range_issues.issue_id = labels.issue_id
    group by range_issues.workspace_slug, range_issues.time_range, labels.label_name

),

by_repository as (

    select
        workspace_slug,
        time_range,
        'repository' as row_kind,
        full_name as row_key,
        cast(null as integer) as issue_rank,
        count(*) as issues_total,
        count(case when not is_closed then 1 end) as issues_open,
        count(case when is_closed then 1 end) as issues_closed,
        avg(hours_to_close) as avg_hours_to_close,
        {{ median('hours_to_close') }} as median_hours_to_close
    from range_issues
    group by workspace_slug, time_range, full_name

),

ranked as (

    select
        range_issues.*,
        row_number() over (
            partition by range_issues.workspace_slug, range_issues.time_range
            order by
                range_issues.comments_count + range_issues.reactions_count desc,
                range_issues.created_at desc,
                range_issues.issue_id asc
        ) as issue_rank
    from range_issues

),

aggregates as (

    select * from summary
    union all
    select * from by_label
    union all
    select * from by_repository

),

final as (

    select
        workspace_slug,
        time_range,
        row_kind,
        row_key,
        issue_rank,
        issues_total,
        issues_open,
        issues_closed,
        avg_hours_to_close,
        median_hours_to_close,
        cast(null as bigint) as issue_id,
        cast(null as bigint) as issue_number,
        cast(null as {{ dbt.type_string() }}) as issue_title,
        cast(null as {{ dbt.type_string() }}) as full_name,
        cast(null as boolean) as is_closed,
        cast(null as bigint) as comments_count,
        cast(null as bigint) as reactions_count,
        cast(null as {{ dbt.type_timestamp() }}) as created_at
    from aggregates

    union all

    select
        workspace_slug,
        time_range,
        'top_issue' as row_kind,
        cast(issue_id as {{ dbt.type_string() }}) as row_key,
        cast(issue_rank as integer) as issue_rank,
        1 as issues_total,
        case when is_closed then 0 else 1 end as issues_open,
        case when is_closed then 1 else 0 end as issues_closed,
        hours_to_close as avg_hours_to_close,
        hours_to_close as median_hours_to_close,
        issue_id,
        issue_number,
        title as issue_title,
        full_name,
        is_closed,
        comments_count,
        reactions_count,
        created_at
    from ranked
    where issue_rank <= {{ var('top_issues_limit') }}

)

select * from final
