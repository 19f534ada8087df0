{#-
    Issues, pull requests and discussions in one shape, to name and filter what
    similar_items compares: type, id, repository, number, title, state and creation time
    (backfill_progress counts the embedded items of each job's window by it).
-#}
with

issues as (

    select * from {{ ref('stg_github__issues') }}

),

pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

discussions as (

    select * from {{ ref('stg_github__discussions') }}

),

unioned as (

    select
        'issue' as item_type,
        issue_id as item_id,
        repository_id,
        issue_number as item_number,
        title,
        case when is_closed then 'closed' else 'open' end as item_state,
        created_at
    from issues

    union all

    select
        'pull_request' as item_type,
        pull_request_id as item_id,
        repository_id,
        pull_request_number as item_number,
        title,
        case
            when is_merged then 'merged'
            when closed_at is not null then 'closed'
            else 'open'
        end as item_state,
        created_at
    from pull_requests

    union all

    select
        'discussion' as item_type,
        discussion_id as item_id,
        repository_id,
        discussion_number as item_number,
        title,
        case when is_closed then 'closed' else 'open' end as item_state,
        created_at
    from discussions

)

select * from unioned
