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
