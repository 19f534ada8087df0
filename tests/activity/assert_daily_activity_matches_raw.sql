-- Reconciliation: per repository, daily_activity_metrics totals over the days it holds equal
-- counts computed straight from the raw tables for the same days (no staging, no event
-- stream). A wrong join, a lost late change or a double count fails the build.
{%- set string = dbt.type_string() %}

with

windows as (

    select
        repository_id,
        min(activity_date) as first_day,
        max(activity_date) as last_day,
        sum(commits_count) as commits_count,
        sum(prs_opened) as prs_opened,
        sum(prs_merged) as prs_merged,
        sum(prs_closed) as prs_closed,
        sum(issues_opened) as issues_opened,
        sum(issues_closed) as issues_closed,
        sum(stars) as stars,
        sum(forks) as forks,
        sum(releases) as releases
    from {{ ref('daily_activity_metrics') }}
    group by repository_id

),

raw_dates as (

    select
        repository_id,
        'commits_count' as metric,
        cast({{ to_utc('committed_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'commits') }}
    union all
    select
        repository_id,
        'prs_opened' as metric,
        cast({{ to_utc('created_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'pull_requests') }}
    union all
    select
        repository_id,
        'prs_merged' as metric,
        cast({{ to_utc('merged_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'pull_requests') }}
    where merged_at is not null
    union all
    select
        repository_id,
        'prs_closed' as metric,
        cast({{ to_utc('closed_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'pull_requests') }}
    where merged_at is null and closed_at is not null
    union all
    select
        repository_id,
        'issues_opened' as metric,
        cast({{ to_utc('created_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'issues') }}
    union all
    select
        repository_id,
        'issues_closed' as metric,
        cast({{ to_utc('closed_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'issues') }}
    where lower(state) = 'closed'
    union all
    select
        repository_id,
        'stars' as metric,
        cast({{ to_utc('starred_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'stargazers') }}
    union all
    select
        repository_id,
        'forks' as metric,
        cast({{ to_utc('created_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'forks') }}
    union all
    select
        repository_id,
        'releases' as metric,
        cast({{ to_utc('published_at') }} as date) as activity_date
    from {{ source_or_empty('github', 'releases') }}
    where not coalesce(is_draft, false)

),

raw_counts as (

    select
        raw_dates.repository_id,
        raw_dates.metric,
        count(*) as raw_value
    from raw_dates
    inner join windows
        on raw_dates.repository_id = windows.repository_id
    where raw_dates.activity_date between windows.first_day and windows.last_day
    group by raw_dates.repository_id, raw_dates.metric

),

model_counts as (

    {%- for metric in ['commits_count', 'prs_opened', 'prs_merged', 'prs_closed',
        'issues_opened', 'issues_closed', 'stars', 'forks', 'releases'] %}
    select
        repository_id,
        '{{ metric }}' as metric,
        {{ metric }} as model_value
    from windows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select
    model_counts.repository_id,
    model_counts.metric,
    model_counts.model_value,
    coalesce(raw_counts.raw_value, 0) as raw_value
from model_counts
left join raw_counts
    on
        model_counts.repository_id = raw_counts.repository_id
        and model_counts.metric = raw_counts.metric
where model_counts.model_value <> coalesce(raw_counts.raw_value, 0)
