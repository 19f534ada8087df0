{#-
    How each source row becomes activity events (docs/metrics.md), one entry per activity
    type, for int_activity_events:
      type          activity_type; from: the model's CTE it reads;
      source_id     the row's id (source_key = table:source_id); subject_id: what it is about;
      at            when it happened (no event while null); where: when the row has one;
      actor / bot   who and whether a bot; contribution: counts towards contributors
                    (docs/metrics.md: authoring and discussing count; triage such as
                    labelling, assigning or requesting a review does not);
      additions, deletions, changed_files, duration, response, first_response: measures.
    Kept beside, not in, the model so the model reads as its SQL.
-#}
{% macro activity_event_branches() %}
    {%- set string = dbt.type_string() -%}
    {%- set branches = [
        {'type': 'commit', 'from': 'commits',
         'source_id': "cast(repository_id as " ~ string ~ ") || ':' || commit_sha",
         'subject_id': 'commit_sha', 'at': 'committed_at',
         'actor': 'author_login', 'bot': 'author_is_bot', 'contribution': 'true',
         'additions': 'additions', 'deletions': 'deletions', 'changed_files': 'changed_files'},
        {'type': 'issue_opened', 'from': 'changed_issues', 'source_id': 'issue_id',
         'subject_id': 'issue_id', 'at': 'created_at',
         'actor': 'author_login', 'bot': 'author_is_bot', 'contribution': 'true'},
        {'type': 'issue_closed', 'from': 'changed_issues', 'source_id': 'issue_id',
         'subject_id': 'issue_id', 'at': 'closed_at', 'where': 'is_closed',
         'duration': hours_between('created_at', 'closed_at')},
        {'type': 'issue_reopened', 'from': 'issue_events', 'source_id': 'issue_event_id',
         'subject_id': 'issue_id', 'at': 'created_at', "where": "event_type = 'reopened'",
         'actor': 'actor_login', 'bot': 'actor_is_bot'},
        {'type': 'issue_labeled', 'from': 'issue_events', 'source_id': 'issue_event_id',
         'subject_id': 'issue_id', 'at': 'created_at', "where": "event_type = 'labeled'",
         'actor': 'actor_login', 'bot': 'actor_is_bot'},
        {'type': 'issue_assigned', 'from': 'issue_events', 'source_id': 'issue_event_id',
         'subject_id': 'issue_id', 'at': 'created_at', "where": "event_type = 'assigned'",
         'actor': 'actor_login', 'bot': 'actor_is_bot'},
        {'type': 'issue_commented', 'from': 'ranked_issue_comments',
         'source_id': 'issue_comment_id', 'subject_id': 'issue_id', 'at': 'created_at',
         'actor': 'author_login', 'bot': 'author_is_bot', 'contribution': 'true',
         'response': 'case when response_rank = 1 then '
            ~ hours_between('issue_created_at', 'created_at') ~ ' end',
         'first_response': 'coalesce(response_rank = 1, false)'},
        {'type': 'pr_opened', 'from': 'changed_pull_requests', 'source_id': 'pull_request_id',
         'subject_id': 'pull_request_id', 'at': 'created_at',
         'actor': 'author_login', 'bot': 'author_is_bot', 'contribution': 'true'},
        {'type': 'pr_merged', 'from': 'changed_pull_requests', 'source_id': 'pull_request_id',
         'subject_id': 'pull_request_id', 'at': 'merged_at', 'where': 'is_merged',
         'actor': 'merged_by_login', 'bot': 'merged_by_is_bot',
         'duration': hours_between('created_at', 'merged_at')},
        {'type': 'pr_closed_unmerged', 'from': 'changed_pull_requests', 'source_id': 'pull_request_id',
         'subject_id': 'pull_request_id', 'at': 'closed_at', 'where': 'is_closed_unmerged',
         'duration': hours_between('created_at', 'closed_at')},
        {'type': 'pr_reviewed', 'from': 'submitted_reviews', 'source_id': 'review_id',
         'subject_id': 'pull_request_id', 'at': 'submitted_at',
         'actor': 'author_login', 'bot': 'author_is_bot', 'contribution': 'true',
         'response': 'case when response_rank = 1 then '
            ~ hours_between('pull_request_created_at', 'submitted_at') ~ ' end',
         'first_response': 'coalesce(response_rank = 1, false)'},
        {'type': 'pr_commented', 'from': 'pull_request_comments',
         'source_id': 'pull_request_comment_id', 'subject_id': 'pull_request_id',
         'at': 'created_at', 'actor': 'author_login', 'bot': 'author_is_bot',
         'contribution': 'true'},
        {'type': 'pr_review_requested', 'from': 'pull_request_review_requests',
         'source_id': 'review_request_event_id', 'subject_id': 'pull_request_id',
         'at': 'created_at', "where": "event_type = 'review_requested'",
         'actor': 'actor_login', 'bot': 'actor_is_bot'},
        {'type': 'pr_review_commented', 'from': 'review_comments',
         'source_id': 'review_comment_id', 'subject_id': 'pull_request_id', 'at': 'created_at',
         'actor': 'author_login', 'bot': 'author_is_bot', 'contribution': 'true'},
        {'type': 'star', 'from': 'stargazers',
         'source_id': "cast(repository_id as " ~ string ~ ") || ':' || cast(user_id as "
            ~ string ~ ")",
         'subject_id': 'user_id', 'at': 'starred_at', 'actor': 'user_login', 'bot': 'user_is_bot'},
        {'type': 'fork', 'from': 'forks', 'source_id': 'fork_id', 'subject_id': 'fork_id',
         'at': 'created_at', 'actor': 'owner_login', 'bot': 'owner_is_bot'},
        {'type': 'release', 'from': 'releases', 'source_id': 'release_id',
         'subject_id': 'release_id', 'at': 'published_at', 'where': 'is_published',
         'actor': 'author_login', 'bot': 'author_is_bot'},
        {'type': 'discussion_opened', 'from': 'discussions', 'source_id': 'discussion_id',
         'subject_id': 'discussion_id', 'at': 'created_at',
         'actor': 'author_login', 'bot': 'author_is_bot', 'contribution': 'true'},
        {'type': 'discussion_answered', 'from': 'answers', 'source_id': 'discussion_id',
         'subject_id': 'discussion_id', 'at': 'answer_chosen_at',
         'actor': 'answer_author_login', 'bot': 'coalesce(answer_author_is_bot, false)',
         'duration': hours_between('created_at', 'answer_chosen_at')},
        {'type': 'discussion_commented', 'from': 'discussion_comments',
         'source_id': 'discussion_comment_id', 'subject_id': 'discussion_id', 'at': 'created_at',
         'actor': 'author_login', 'bot': 'author_is_bot', 'contribution': 'true'},
    ] %}
    {{ return(branches) }}
{% endmacro %}

{#- The raw table each branch's CTE reads, where the CTE's name is not the table's. -#}
{% macro activity_event_source_tables() %}
    {{ return({
        'changed_issues': 'issues', 'ranked_issue_comments': 'issue_comments',
        'changed_pull_requests': 'pull_requests', 'submitted_reviews': 'reviews',
        'answers': 'discussions', 'pull_request_review_requests': 'review_requests',
    }) }}
{% endmacro %}

{#- The first source id expression of each branch CTE. -#}
{% macro activity_event_source_ids() %}
    {%- set source_ids = {} -%}
    {%- for branch in activity_event_branches() if branch['from'] not in source_ids -%}
        {%- do source_ids.update({branch['from']: branch.source_id}) -%}
    {%- endfor -%}
    {{ return(source_ids) }}
{% endmacro %}

{#-
    The CTE each retractable source row is read into, and its staging model: the sources
    whose events can move to another day or vanish (a close undone by a reopen, a release
    back to draft, an answer unmarked, a star removed and given again). Every other source
    row's events are fixed once written, and delete+insert replaces them by source_key.
-#}
{% macro activity_event_retractable_sources() %}
    {{ return({
        'changed_issues': 'stg_github__issues',
        'changed_pull_requests': 'stg_github__pull_requests',
        'stargazers': 'stg_github__stargazers',
        'releases': 'stg_github__releases',
        'discussions': 'stg_github__discussions',
    }) }}
{% endmacro %}

{#-
    The key queries of an incremental run of int_activity_events, for rows matching
    `new_rows`; the model reads the first three as CTEs (the keys its lookups join on):
      ranked_issues / ranked_pull_requests  issues and PRs whose comments / reviews are
                                            re-ranked for first response;
      chosen_answers                        comments chosen as discussion answers;
      changed_sources                       keys of the retractable source rows.
-#}
{% macro activity_event_key_queries(new_rows) %}
    {%- set string = dbt.type_string() -%}
    {%- set source_tables = activity_event_source_tables() -%}
    {%- set source_ids = activity_event_source_ids() -%}
    {%- set changed_sources = [] -%}
    {%- for cte, model in activity_event_retractable_sources().items() -%}
        {%- do changed_sources.append(
            "select '" ~ source_tables.get(cte, cte) ~ ":' || cast(" ~ source_ids[cte]
            ~ ' as ' ~ string ~ ') from (select * from ' ~ ref(model) ~ ' where ' ~ new_rows
            ~ ') as ' ~ cte
        ) -%}
    {%- endfor -%}
    {{ return({
        'ranked_issues':
            'select issue_id from ' ~ ref('stg_github__issue_comments')
            ~ ' where issue_id is not null and ' ~ new_rows
            ~ ' union select issue_id from ' ~ ref('stg_github__issues')
            ~ ' where ' ~ new_rows,
        'ranked_pull_requests':
            'select pull_request_id from ' ~ ref('stg_github__pull_request_reviews')
            ~ ' where pull_request_id is not null and ' ~ new_rows
            ~ ' union select pull_request_id from ' ~ ref('stg_github__pull_requests')
            ~ ' where ' ~ new_rows,
        'chosen_answers':
            'select answer_id as discussion_comment_id from ' ~ ref('stg_github__discussions')
            ~ ' where answer_id is not null and answer_chosen_at is not null and '
            ~ new_rows,
        'changed_sources': changed_sources | join(' union all '),
    }) }}
{% endmacro %}

{#- Those keys as literals (small_key_list: DuckDB only, none when too many), by query. -#}
{% macro activity_event_lookup_keys(key_queries) %}
    {%- set keys = {} -%}
    {%- for name, query in key_queries.items() -%}
        {%- do keys.update({name: small_key_list(query)}) -%}
    {%- endfor -%}
    {{ return(keys) }}
{% endmacro %}
