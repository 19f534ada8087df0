{#-
    One row per loaded pull request: its first response, the earliest of its first
    submitted review, first conversation comment and first inline review comment by someone
    other than its author (bots and ghosts never respond). Read from the event stream, which
    already carries every submitted review, comment and review comment with its actor.
    A pull request whose opening is not loaded has no author to compare with: left out.
-#}
with

events as (

    select * from {{ ref('int_activity_events') }}
    where
        activity_type in ('pr_opened', 'pr_reviewed', 'pr_commented', 'pr_review_commented')

),

opened as (

    select
        subject_id as pull_request_id,
        repository_id,
        actor_login as author_login,
        occurred_at as created_at
    from events
    where activity_type = 'pr_opened'

),

responses as (

    select
        events.subject_id as pull_request_id,
        events.activity_type,
        events.occurred_at
    from events
    inner join opened
        on events.subject_id = opened.pull_request_id
    where
        events.activity_type <> 'pr_opened'
        and events.actor_login is not null
        and not events.actor_is_bot
        and events.actor_login <> coalesce(opened.author_login, '')

),

firsts as (

    select
        pull_request_id,
        min(case when activity_type = 'pr_reviewed' then occurred_at end) as first_review_at,
        min(case when activity_type = 'pr_commented' then occurred_at end) as first_comment_at,
        min(case when activity_type = 'pr_review_commented' then occurred_at end)
            as first_review_comment_at,
        min(occurred_at) as first_response_at
    from responses
    group by pull_request_id

),

final as (

    select
        cast(opened.pull_request_id as bigint) as pull_request_id,
        opened.repository_id,
        opened.author_login,
        opened.created_at,
        firsts.first_review_at,
        firsts.first_comment_at,
        firsts.first_review_comment_at,
        firsts.first_response_at,
        -- Ties go to the review, then the conversation comment.
        case
            when firsts.first_response_at = firsts.first_review_at then 'review'
            when firsts.first_response_at = firsts.first_comment_at then 'comment'
            when firsts.first_response_at = firsts.first_review_comment_at then 'review_comment'
        end as first_response_kind,
        cast(firsts.first_response_at as date) as first_response_date,
        {{ hours_between('opened.created_at', 'firsts.first_response_at') }}
            as hours_to_first_response
    from opened
    left join firsts
        on opened.pull_request_id = firsts.pull_request_id

)

select * from final
