{#-
    The per-contributor count columns of the contributors-by-range marts, over rows of
    int_workspace_contributions_by_range: one list so both marts and their docs agree.
-#}
{% macro contribution_counts() -%}
    {%- set kinds = {
        'commits_count': ['commit'],
        'prs_opened': ['pr_opened'],
        'reviews': ['pr_reviewed'],
        'issues_opened': ['issue_opened'],
        'comments': [
            'issue_commented', 'pr_commented', 'pr_review_commented', 'discussion_commented'
        ],
        'discussions_opened': ['discussion_opened'],
        'prs_merged': ['pr_merged_authored'],
    } -%}
    {%- for column, types in kinds.items() %}
        count(
            case
                when activity_type in (
                        {%- for type in types %}
                        '{{ type }}'{{ ',' if not loop.last }}
                        {%- endfor %}
                    ) then 1
            end
        ) as {{ column }},
    {%- endfor %}
        count(case when activity_type <> 'pr_merged_authored' then 1 end) as contributions_total,
        count(distinct case when activity_type <> 'pr_merged_authored' then activity_date end)
            as active_days,
        max(occurred_at) as last_activity_at
{%- endmacro %}

{#-
    The body of the contributors-by-range marts: contributors per workspace (or, with
    per_repository, per workspace and repository), range and login, counted over the
    range's credited events and ranked by contributions, then merged PRs, then login.
-#}
{% macro contributors_by_range(per_repository=false) -%}
    {%- set keys = ['workspace_slug', 'repository_id', 'time_range'] if per_repository
        else ['workspace_slug', 'time_range'] %}
with

credited as (

    select * from {{ ref('int_workspace_contributions_by_range') }}

),

by_contributor as (

    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        contributor_login,
        {%- if per_repository %}
        min(full_name) as full_name,
        {%- endif %}
        min(range_days) as range_days,
        {{ contribution_counts() }}
        {%- if not per_repository %},
        count(distinct repository_id) as repositories_count
        {%- endif %}
    from credited
    group by {{ keys | join(', ') }}, contributor_login

),

final as (

    select
        workspace_slug,
        {%- if per_repository %}
        repository_id,
        full_name,
        {%- endif %}
        time_range,
        range_days,
        row_number() over (
            partition by {{ keys | join(', ') }}
            order by contributions_total desc, prs_merged desc, contributor_login asc
        ) as contributor_rank,
        contributor_login,
        commits_count,
        prs_opened,
        reviews,
        issues_opened,
        comments,
        discussions_opened,
        prs_merged,
        contributions_total,
        active_days,
        {%- if not per_repository %}
        repositories_count,
        {%- endif %}
        last_activity_at
    from by_contributor

)

select * from final
{%- endmacro %}
