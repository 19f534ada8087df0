{#-
    One row per review requested from a user: when, and that reviewer's first submitted
    review answering it. A review answers a request when the same login (GitHub logins are
    case-insensitive) submits it at or after the request and before that reviewer's next
    request or removal on the pull request: a request withdrawn before any review stays
    unanswered, and a re-request starts a new turnaround. Team requests cannot be matched to
    one reviewer, and a deleted reviewer has no login: both are left out.
-#}
with

request_events as (

    select * from {{ ref('stg_github__pull_request_review_requests') }}
    where reviewer_type = 'user' and reviewer_login is not null

),

reviews as (

    select * from {{ ref('stg_github__pull_request_reviews') }}
    where is_submitted and author_login is not null

),

-- Each event with the next event for the same pull request and reviewer: a request's
-- answer must come before it.
sequenced as (

    select
        *,
        lead(created_at) over (
            partition by pull_request_id, lower(reviewer_login)
            order by created_at, review_request_event_id
        ) as next_event_at
    from request_events

),

requests as (

    select * from sequenced
    where event_type = 'review_requested'

),

answered as (

    select
        requests.review_request_event_id,
        min(reviews.submitted_at) as first_review_at
    from requests
    inner join reviews
        on
            requests.pull_request_id = reviews.pull_request_id
            and lower(requests.reviewer_login) = lower(reviews.author_login)
            and requests.created_at <= reviews.submitted_at
            and (requests.next_event_at is null or requests.next_event_at > reviews.submitted_at)
    group by requests.review_request_event_id

),

final as (

    select
        requests.review_request_event_id,
        requests.repository_id,
        requests.pull_request_id,
        requests.reviewer_login,
        requests.actor_login as requested_by_login,
        requests.created_at as requested_at,
        answered.first_review_at,
        cast(answered.first_review_at as date) as first_review_date,
        {{ hours_between('requests.created_at', 'answered.first_review_at') }}
            as hours_to_review
    from requests
    left join answered
        on requests.review_request_event_id = answered.review_request_event_id

)

select * from final
