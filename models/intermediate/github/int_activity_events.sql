{#-
    One dated stream of everything that happened in the tracked repositories, one row per
    (activity_type, source row). Every daily and period metric reads from here.

    is_contribution follows docs/metrics.md: commit authored, issue or PR opened, issue
    comment, review, review comment, discussion opened or commented; by a real, non-bot
    user (ghosts have a null login). Stars, forks, releases, merges and closes are
    activity, not contributions.

    issue_closed is the final close only (the issue's closed_at while it is closed), so a
    reopened-then-closed issue counts once; the reopen itself is issue_reopened.
    response_hours / is_first_response mark the first review of a PR and the first comment
    on an issue by someone other than its author (bots excluded), for time-to-first-response.
-#}
{%- set string = dbt.type_string() -%}

with

issues as (select * from {{ ref('stg_github__issues') }}),

issue_events as (select * from {{ ref('stg_github__issue_events') }}),

issue_comments as (select * from {{ ref('stg_github__issue_comments') }}),

pull_requests as (select * from {{ ref('stg_github__pull_requests') }}),

reviews as (select * from {{ ref('stg_github__pull_request_reviews') }}),

review_comments as (select * from {{ ref('stg_github__pull_request_review_comments') }}),

commits as (select * from {{ ref('stg_github__commits') }}),

stargazers as (select * from {{ ref('stg_github__stargazers') }}),

forks as (select * from {{ ref('stg_github__forks') }}),

releases as (select * from {{ ref('stg_github__releases') }}),

discussions as (select * from {{ ref('stg_github__discussions') }}),

discussion_comments as (select * from {{ ref('stg_github__discussion_comments') }}),

submitted_reviews as (

    select
        reviews.*,
        pull_requests.created_at as pull_request_created_at,
        -- First review by someone else than the PR author; bots and ghosts never respond.
        case
            when
                reviews.author_login is not null
                and not reviews.author_is_bot
                and reviews.author_login <> coalesce(pull_requests.author_login, '')
                then row_number() over (
                    partition by
                        reviews.pull_request_id,
                        reviews.author_login is not null
                        and not reviews.author_is_bot
                        and reviews.author_login <> coalesce(pull_requests.author_login, '')
                    order by reviews.submitted_at, reviews.review_id
                )
        end as response_rank
    from reviews
    left join pull_requests
        on reviews.pull_request_id = pull_requests.pull_request_id
    where reviews.is_submitted

),

ranked_issue_comments as (

    select
        issue_comments.*,
        issues.created_at as issue_created_at,
        case
            when
                issue_comments.author_login is not null
                and not issue_comments.author_is_bot
                and issue_comments.author_login <> coalesce(issues.author_login, '')
                then row_number() over (
                    partition by
                        issue_comments.issue_id,
                        issue_comments.author_login is not null
                        and not issue_comments.author_is_bot
                        and issue_comments.author_login <> coalesce(issues.author_login, '')
                    order by issue_comments.created_at, issue_comments.issue_comment_id
                )
        end as response_rank
    from issue_comments
    left join issues
        on issue_comments.issue_id = issues.issue_id

),

answers as (

    select
        discussions.*,
        discussion_comments.author_login as answer_author_login,
        discussion_comments.author_is_bot as answer_author_is_bot
    from discussions
    left join discussion_comments
        on discussions.answer_id = discussion_comments.discussion_comment_id
    where discussions.answer_chosen_at is not null

),

unioned as (

    select
        'commit' as activity_type,
        cast(repository_id as {{ string }}) || ':' || commit_sha as source_id,
        cast(commit_sha as {{ string }}) as subject_id,
        repository_id,
        committed_at as occurred_at,
        author_login as actor_login,
        author_is_bot as actor_is_bot,
        true as counts_as_contribution,
        additions,
        deletions,
        changed_files,
        cast(null as double precision) as duration_hours,
        cast(null as double precision) as response_hours,
        false as is_first_response,
        dlt_load_id
    from commits

    union all

    select
        'issue_opened', cast(issue_id as {{ string }}), cast(issue_id as {{ string }}), repository_id, created_at,
        author_login, author_is_bot, true, null, null, null, null, null, false, dlt_load_id
    from issues

    union all

    select
        'issue_closed', cast(issue_id as {{ string }}), cast(issue_id as {{ string }}), repository_id, closed_at,
        null, false, false, null, null, null,
        {{ hours_between('created_at', 'closed_at') }}, null, false, dlt_load_id
    from issues
    where is_closed and closed_at is not null

    union all

    select
        'issue_reopened', issue_event_id, cast(issue_id as {{ string }}), repository_id, created_at,
        actor_login, actor_is_bot, false, null, null, null, null, null, false, dlt_load_id
    from issue_events
    where event_type = 'reopened'

    union all

    select
        'issue_commented', cast(issue_comment_id as {{ string }}), cast(issue_id as {{ string }}), repository_id, created_at,
        author_login, author_is_bot, true, null, null, null, null,
        case
            when response_rank = 1 then {{ hours_between('issue_created_at', 'created_at') }}
        end,
        coalesce(response_rank = 1, false), dlt_load_id
    from ranked_issue_comments

    union all

    select
        'pr_opened', cast(pull_request_id as {{ string }}), cast(pull_request_id as {{ string }}), repository_id, created_at,
        author_login, author_is_bot, true, null, null, null, null, null, false, dlt_load_id
    from pull_requests

    union all

    select
        'pr_merged', cast(pull_request_id as {{ string }}), cast(pull_request_id as {{ string }}), repository_id, merged_at,
        merged_by_login, false, false, null, null, null,
        {{ hours_between('created_at', 'merged_at') }}, null, false, dlt_load_id
    from pull_requests
    where is_merged

    union all

    select
        'pr_closed_unmerged', cast(pull_request_id as {{ string }}), cast(pull_request_id as {{ string }}), repository_id, closed_at,
        null, false, false, null, null, null,
        {{ hours_between('created_at', 'closed_at') }}, null, false, dlt_load_id
    from pull_requests
    where is_closed_unmerged

    union all

    select
        'pr_reviewed', cast(review_id as {{ string }}), cast(pull_request_id as {{ string }}), repository_id, submitted_at,
        author_login, author_is_bot, true, null, null, null, null,
        case
            when
                response_rank = 1
                then {{ hours_between('pull_request_created_at', 'submitted_at') }}
        end,
        coalesce(response_rank = 1, false), dlt_load_id
    from submitted_reviews

    union all

    select
        'pr_review_commented', cast(review_comment_id as {{ string }}), cast(pull_request_id as {{ string }}), repository_id,
        created_at, author_login, author_is_bot, true, null, null, null, null, null, false,
        dlt_load_id
    from review_comments

    union all

    select
        'star', cast(repository_id as {{ string }}) || ':' || cast(user_id as {{ string }}), cast(user_id as {{ string }}), repository_id, starred_at,
        user_login, user_is_bot, false, null, null, null, null, null, false, dlt_load_id
    from stargazers

    union all

    select
        'fork', cast(fork_id as {{ string }}), cast(fork_id as {{ string }}), repository_id, created_at,
        owner_login, owner_is_bot, false, null, null, null, null, null, false, dlt_load_id
    from forks

    union all

    select
        'release', cast(release_id as {{ string }}), cast(release_id as {{ string }}), repository_id, published_at,
        author_login, author_is_bot, false, null, null, null, null, null, false, dlt_load_id
    from releases
    where is_published

    union all

    select
        'discussion_opened', cast(discussion_id as {{ string }}), cast(discussion_id as {{ string }}), repository_id, created_at,
        author_login, author_is_bot, true, null, null, null, null, null, false, dlt_load_id
    from discussions

    union all

    select
        'discussion_answered', cast(discussion_id as {{ string }}), cast(discussion_id as {{ string }}), repository_id,
        answer_chosen_at, answer_author_login, coalesce(answer_author_is_bot, false), false,
        null, null, null, {{ hours_between('created_at', 'answer_chosen_at') }}, null, false,
        dlt_load_id
    from answers

    union all

    select
        'discussion_commented', cast(discussion_comment_id as {{ string }}), cast(discussion_id as {{ string }}), repository_id,
        created_at, author_login, author_is_bot, true, null, null, null, null, null, false,
        dlt_load_id
    from discussion_comments

),

final as (

    select
        activity_type || ':' || source_id as activity_id,
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
        cast(dlt_load_id as double precision) as dlt_load_epoch
    from unioned
    where occurred_at is not null

)

select * from final
