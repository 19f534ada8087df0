{#-
    One dated stream of everything that happened in the tracked repositories, one row per
    (activity_type, source row). Every daily and period metric reads from here.

    is_contribution follows docs/metrics.md: commit authored, issue or PR opened, issue
    comment, PR conversation comment, review, review comment, discussion opened or
    commented; by a real, non-bot user (ghosts have a null login). Stars, forks, releases,
    merges, closes, labels, assignments and review requests are activity, not
    contributions.

    issue_closed is the final close only (the issue's closed_at while it is closed), so a
    reopened-then-closed issue counts once; the reopen itself is issue_reopened.
    response_hours / is_first_response mark the first review of a PR and the first comment
    on an issue by someone other than its author (bots excluded), for time-to-first-response.
-#}
{#-
    In an incremental run: rows of loads committed since the last run (macros/new_loads.sql).
    The watermark is dlt's commit time (_dlt_loads.inserted_at), not the load id, so a
    backfill that started before a sync but committed after it is still picked up; a load
    still in flight has no _dlt_loads row yet and is read once it commits.
-#}
{%- set new_rows = load_ids_filter('dlt_load_id', unseen_load_ids(
    ref('stg_github__loads'), 'select max(dlt_loads_seen_through) from ' ~ this
)) if is_incremental() else '1 = 1' -%}
{%- set branches = activity_event_branches() -%}
{%- set source_tables = activity_event_source_tables() -%}
{%- set retractable_sources = activity_event_retractable_sources() -%}
{%- set source_ids = activity_event_source_ids() -%}
{%- set string = dbt.type_string() -%}
{#- DuckDB: the keys the lookups below need, as literals (macros/key_lookups.sql). -#}
{%- set key_queries = activity_event_key_queries(new_rows) if is_incremental() else {} -%}
{%- set lookup_keys = activity_event_lookup_keys(key_queries) -%}
{#- PostgreSQL: JIT off. The planner's row estimates through the staging anti-joins are
    astronomical, so it JIT-compiled (with full LLVM optimization) the whole union on every
    run, ~5 s for a query that runs in well under 0.1 s incrementally (EXPLAIN ANALYZE,
    benchmarks/dbt_build.py). `set local` ends with the model's transaction. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy(),
        unique_key='source_key',
        partition_by=spark_partition_by('activity_date'),
        on_schema_change='append_new_columns',
        tags=['hourly'],
        indexes=postgres_indexes([
            {'columns': ['source_key']},
            {'columns': ['dlt_load_id']},
            {'columns': ['dlt_loads_seen_through']},
            {'columns': ['repository_id', 'activity_date']},
        ]),
        pre_hook=["{{ jit_off() }}"],
        post_hook=["{{ analyze_if_stale(this) }}"],
    )
}}

{#-
    PostgreSQL materializes a CTE that is read more than once, so every CTE below that is
    read twice is already filtered to the new rows; lookups of unchanged rows (a comment's
    issue, a review's pull request) read the staging models directly, by key.
-#}
with

-- The loads this run covers: the watermark the next run starts from.
loads_seen as (

    select max(inserted_at) as seen_through
    from {{ ref('stg_github__loads') }}
    where {{ new_rows }}

),

changed_issues as (

    select * from {{ ref('stg_github__issues') }}
    where {{ new_rows }}

),

issue_events as (

    select * from {{ ref('stg_github__issue_events') }}
    where {{ new_rows }}

),

{% if is_incremental() %}
-- A comment's first-response rank depends on the other comments of its issue: re-rank
-- every comment of an issue that changed or got a new comment.
ranked_issues as (

    {{ key_queries.ranked_issues }}

),
{% endif %}

-- Each comment (of the ranked issues) with its issue's author and opening time.
issue_comments as (
    {{ rows_with_parent_for_keys(
        ref('stg_github__issue_comments'), ref('stg_github__issues'), 'issue_id',
        {'issue_author_login': 'author_login', 'issue_created_at': 'created_at'},
        'ranked_issues' if is_incremental() else none, lookup_keys.get('ranked_issues')) }}
),

changed_pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}
    where {{ new_rows }}

),

{% if is_incremental() %}
-- Same for reviews: every review of a pull request with a change is re-ranked.
ranked_pull_requests as (

    {{ key_queries.ranked_pull_requests }}

),
{% endif %}

-- Each review (of the ranked PRs) with its pull request's author and opening time.
reviews_of_ranked_pull_requests as (
    {{ rows_with_parent_for_keys(
        ref('stg_github__pull_request_reviews'), ref('stg_github__pull_requests'),
        'pull_request_id',
        {'pull_request_author_login': 'author_login', 'pull_request_created_at': 'created_at'},
        'ranked_pull_requests' if is_incremental() else none,
        lookup_keys.get('ranked_pull_requests')) }}
),

-- Only submitted reviews respond (a pending one is a draft).
reviews as (

    select * from reviews_of_ranked_pull_requests
    where is_submitted

),

review_comments as (

    select * from {{ ref('stg_github__pull_request_review_comments') }}
    where {{ new_rows }}

),

-- PR conversation comments and review requests: fixed once written, like review comments.
pull_request_comments as (

    select * from {{ ref('stg_github__pull_request_comments') }}
    where {{ new_rows }}

),

pull_request_review_requests as (

    select * from {{ ref('stg_github__pull_request_review_requests') }}
    where {{ new_rows }}

),

commits as (

    select * from {{ ref('stg_github__commits') }}
    where {{ new_rows }}

),

stargazers as (

    select * from {{ ref('stg_github__stargazers') }}
    where {{ new_rows }}

),

forks as (

    select * from {{ ref('stg_github__forks') }}
    where {{ new_rows }}

),

releases as (

    select * from {{ ref('stg_github__releases') }}
    where {{ new_rows }}

),

discussions as (

    select * from {{ ref('stg_github__discussions') }}
    where {{ new_rows }}

),

discussion_comments as (

    select * from {{ ref('stg_github__discussion_comments') }}
    where {{ new_rows }}

),

-- First review / comment by someone other than the author; bots and ghosts never respond.
submitted_reviews as (

    select
        *,
        case
            when
                author_login is not null
                and not author_is_bot
                and author_login <> coalesce(pull_request_author_login, '')
                then row_number() over (
                        partition by
                            pull_request_id,
                            author_login is not null
                            and not author_is_bot
                            and author_login <> coalesce(pull_request_author_login, '')
                        order by submitted_at, review_id
                    )
        end as response_rank
    from reviews

),

ranked_issue_comments as (

    select
        *,
        case
            when
                author_login is not null
                and not author_is_bot
                and author_login <> coalesce(issue_author_login, '')
                then row_number() over (
                        partition by
                            issue_id,
                            author_login is not null
                            and not author_is_bot
                            and author_login <> coalesce(issue_author_login, '')
                        order by created_at, issue_comment_id
                    )
        end as response_rank
    from issue_comments

),

{% if is_incremental() %}
chosen_answers as (

    {{ key_queries.chosen_answers }}

),
{% endif %}

answer_comments as (
    {{ rows_for_keys(ref('stg_github__discussion_comments'),
        'chosen_answers' if is_incremental() else none,
        'discussion_comment_id', lookup_keys.get('chosen_answers')) }}
),

answers as (

    select
        discussions.*,
        discussion_comments.author_login as answer_author_login,
        discussion_comments.author_is_bot as answer_author_is_bot
    from discussions
    left join answer_comments as discussion_comments
        on discussions.answer_id = discussion_comments.discussion_comment_id
    where discussions.answer_chosen_at is not null

),

{# One branch per activity type (macros/activity_event_branches.sql); every column spelled
    out so the union lines up. #}
{% set null_float = 'cast(null as ' ~ type_double() ~ ')' %}
{% set null_int = 'cast(null as bigint)' %}
unioned as (
    {% for branch in branches %}
    select
        '{{ branch.type }}' as activity_type,
        '{{ source_tables.get(branch['from'], branch['from']) }}:'
        || cast({{ branch.source_id }} as {{ string }}) as source_key,
        cast({{ branch.source_id }} as {{ string }}) as source_id,
        cast({{ branch.subject_id }} as {{ string }}) as subject_id,
        repository_id,
        {{ branch.at }} as occurred_at,
        {{ branch.get('actor', 'cast(null as ' ~ string ~ ')') }} as actor_login,
        {{ branch.get('bot', 'false') }} as actor_is_bot,
        {{ branch.get('contribution', 'false') }} as counts_as_contribution,
        {{ branch.get('additions', null_int) }} as additions,
        {{ branch.get('deletions', null_int) }} as deletions,
        {{ branch.get('changed_files', null_int) }} as changed_files,
        {{ branch.get('duration', null_float) }} as duration_hours,
        {{ branch.get('response', null_float) }} as response_hours,
        {{ branch.get('first_response', 'false') }} as is_first_response,
        dlt_load_id
    from {{ branch['from'] }}
    {%- if branch.where %}
    where {{ branch.where }}
    {%- endif %}
    {% if not loop.last %}
    union all
    {% endif %}
    {%- endfor %}
),

final as (

    select
        activity_type || ':' || source_id as activity_id,
        -- The source row (table:id): an incremental run replaces all its events at once,
        -- so an event that no longer exists (a reopened issue's close) disappears.
        source_key,
        activity_type,
        repository_id,
        subject_id,
        occurred_at,
        cast(occurred_at as date) as activity_date,
        actor_login,
        coalesce(actor_is_bot, false) as actor_is_bot,
        counts_as_contribution
        and actor_login is not null
        and not coalesce(actor_is_bot, false) as is_contribution,
        additions,
        deletions,
        changed_files,
        duration_hours,
        response_hours,
        is_first_response,
        dlt_load_id,
        cast(dlt_load_id as {{ type_double() }}) as dlt_load_epoch,
        (select loads_seen.seen_through from loads_seen) as dlt_loads_seen_through
    from unioned
    where occurred_at is not null

){% if is_incremental() %},

-- Every retractable source row of the batch, even one that now yields no event (a release
-- turned back into a draft): its old events are looked up below.
changed_sources as (
    {%- for cte in retractable_sources %}
    {% if not loop.first %}union all{% endif %}
    select
        '{{ source_tables.get(cte, cte) }}:'
        || cast({{ source_ids[cte] }} as {{ string }}) as source_key,
        dlt_load_id
    from {{ cte }}
    {%- endfor %}
),

-- The stored events of those source rows.
previous_events as (
    {{ rows_for_keys(this, 'changed_sources', 'source_key',
        lookup_keys.get('changed_sources'), carry={'retracting_load_id': 'dlt_load_id'}) }}
),

-- Events a changed source row no longer has on the same day (a pull request closed
-- unmerged, then reopened or closed again later; an answer unmarked; a release withdrawn)
-- stay behind as 'retracted' markers of their old day, stamped with the new load:
-- daily_activity_metrics recomputes that day, and every consumer counts real activity
-- types only. The next change of the source row replaces the marker.
retracted as (

    select
        'retracted:' || old.activity_id || ':' || cast(old.activity_date as {{ string }})
            as activity_id,
        old.source_key,
        'retracted' as activity_type,
        old.repository_id,
        old.subject_id,
        old.occurred_at,
        old.activity_date,
        cast(null as {{ string }}) as actor_login,
        false as actor_is_bot,
        false as is_contribution,
        {{ null_int }} as additions,
        {{ null_int }} as deletions,
        {{ null_int }} as changed_files,
        {{ null_float }} as duration_hours,
        {{ null_float }} as response_hours,
        false as is_first_response,
        old.retracting_load_id as dlt_load_id,
        cast(old.retracting_load_id as {{ type_double() }}) as dlt_load_epoch,
        (select loads_seen.seen_through from loads_seen) as dlt_loads_seen_through
    from previous_events as old
    where
        old.activity_type <> 'retracted'
        and not exists (
            select 1 from final
            where final.activity_id = old.activity_id and final.activity_date = old.activity_date
        )

){% endif %}

{#- Spark: plus the kept rows of the partitions these rows touch (delete+insert there). #}
{% set new_rows -%}
select * from final
{%- if is_incremental() %}
union all
select * from retracted
{%- endif %}
{%- endset %}
{{ rewrite_touched_partitions(new_rows) }}
