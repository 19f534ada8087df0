{#-
    One row per workspace and contributor (non-bot, non-ghost): contributions by kind inside
    the workspace's retention window, first and last activity, and the repositories they
    contributed to. `repositories` lists "full_name avatar_url" pairs, one per line, ordered
    by full name; contributor_repositories has the same as rows.
-#}
{%- set kinds = {
    'commits_count': "'commit'",
    'prs_opened': "'pr_opened'",
    'issues_opened': "'issue_opened'",
    'issue_comments': "'issue_commented'",
    'reviews': "'pr_reviewed'",
    'review_comments': "'pr_review_commented'",
    'pr_comments': "'pr_commented'",
    'discussions_opened': "'discussion_opened'",
    'discussion_comments': "'discussion_commented'",
} -%}
{{ config(tags=['nightly']) }}

with

events as (

    select * from {{ ref('int_workspace_activity_events') }}
    where is_contribution

),

contributor_repositories as (

    select * from {{ ref('contributor_repositories') }}

),

by_kind as (

    select
        workspace_slug,
        actor_login,
        {%- for column, kind in kinds.items() %}
        count(case when activity_type = {{ kind }} then 1 end) as {{ column }},
        {%- endfor %}
        count(*) as contributions_total,
        count(distinct activity_date) as active_days,
        min(occurred_at) as first_activity_at,
        max(occurred_at) as last_activity_at
    from events
    group by workspace_slug, actor_login

),

repository_lists as (

    select
        workspace_slug,
        contributor_login,
        count(*) as repositories_count,
        {{ dbt.listagg(
            "full_name || ' ' || coalesce(repository_avatar_url, '')",
            "'\n'",
            "order by full_name"
        ) }} as repositories
    from contributor_repositories
    group by workspace_slug, contributor_login

),

final as (

    select
        by_kind.workspace_slug,
        by_kind.actor_login as contributor_login,
        {%- for column in kinds %}
        by_kind.{{ column }},
        {%- endfor %}
        by_kind.contributions_total,
        by_kind.active_days,
        repository_lists.repositories_count,
        repository_lists.repositories,
        by_kind.first_activity_at,
        by_kind.last_activity_at
    from by_kind
    inner join repository_lists
        on
            by_kind.workspace_slug = repository_lists.workspace_slug
            and by_kind.actor_login = repository_lists.contributor_login

)

select * from final
