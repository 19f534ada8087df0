{#-
    Progress of every backfill job, one row per (job, repository), with the job's totals
    repeated on each row so one query answers both "how far is acme/api-server" and "how far
    is job 7". A view: it reads the control tables live while a job runs.
      repository_pct_complete  100 once completed; else items_loaded / items_total (exact
                               GraphQL totalCounts), held below 100 until the repository is
                               done; 0 while no total is known yet.
      job_eta_seconds          remaining items at the rate the job has loaded so far (the
                               CLI also weighs in the rate budget's refill).
-#}
{{ config(materialized='view', tags=['control', 'hourly']) }}

with

jobs as (

    select * from {{ ref('stg_control__backfill_jobs') }}

),

job_repositories as (

    select * from {{ ref('stg_control__backfill_job_repositories') }}

),

-- Issues, pull requests and discussions that have an embedding (any model), by repository.
embedded_items as (

    select distinct
        lower(repositories.full_name) as full_name,
        items.item_type,
        items.item_id,
        items.created_at
    from {{ ref('int_embedding_items') }} as items
    inner join {{ ref('stg_embeddings__vectors') }} as vectors
        on items.item_type = vectors.item_type and items.item_id = vectors.item_id
    inner join {{ ref('stg_github__repositories') }} as repositories
        on items.repository_id = repositories.repository_id

),

-- Per job and repository: embedded items created inside the job's window, i.e. the
-- history the job loaded (newer items are the scheduled sync's).
window_embeddings as (

    select
        job_repositories.backfill_job_id,
        job_repositories.full_name,
        count(*) as window_items_embedded
    from job_repositories
    inner join embedded_items
        on
            job_repositories.full_name = embedded_items.full_name
            and embedded_items.created_at >= {{ to_utc('job_repositories.window_start') }}
            and embedded_items.created_at < {{ to_utc('job_repositories.window_end') }}
    group by job_repositories.backfill_job_id, job_repositories.full_name

),

-- Data types per repository by outcome (backfill_job_data_types).
data_type_outcomes as (

    select
        backfill_job_id,
        full_name,
        count(*) as data_types_total,
        count(case when data_type_status = 'done' then 1 end) as data_types_done,
        count(case when data_type_status = 'failed' then 1 end) as data_types_failed
    from {{ ref('backfill_job_data_types') }}
    group by backfill_job_id, full_name

),

repository_progress as (

    select
        jobs.backfill_job_id,
        jobs.workspace_slug,
        jobs.job_status,
        jobs.job_trigger,
        jobs.webhook_id,
        jobs.billing_subscription_id,
        jobs.retention_days,
        jobs.job_error,
        jobs.created_at,
        jobs.started_at,
        jobs.finished_at,
        {{ hours_between('jobs.started_at', 'current_timestamp') }} as hours_running,
        job_repositories.full_name,
        job_repositories.repository_status,
        job_repositories.window_start,
        job_repositories.window_end,
        job_repositories.items_loaded,
        job_repositories.items_total,
        job_repositories.attempts as repository_attempts,
        job_repositories.repository_error,
        job_repositories.updated_at as repository_updated_at,
        coalesce(data_type_outcomes.data_types_total, 0) as data_types_total,
        coalesce(data_type_outcomes.data_types_done, 0) as data_types_done,
        coalesce(data_type_outcomes.data_types_failed, 0) as data_types_failed,
        coalesce(window_embeddings.window_items_embedded, 0) as window_items_embedded,
        case
            when job_repositories.repository_status = 'completed' then 100.0
            when coalesce(job_repositories.items_total, 0) = 0 then 0.0
            else least(
                    99.9,
                    100.0 * cast(job_repositories.items_loaded as {{ dbt.type_float() }})
                    / cast(job_repositories.items_total as {{ dbt.type_float() }})
                )
        end as repository_pct_complete,
        case
            when job_repositories.repository_status in ('completed', 'failed', 'canceled') then 0
            when job_repositories.items_total is null then null
            else greatest(job_repositories.items_total - job_repositories.items_loaded, 0)
        end as items_remaining
    from job_repositories
    inner join jobs
        on job_repositories.backfill_job_id = jobs.backfill_job_id
    left join data_type_outcomes
        on
            job_repositories.backfill_job_id = data_type_outcomes.backfill_job_id
            and job_repositories.full_name = data_type_outcomes.full_name
    left join window_embeddings
        on
            job_repositories.backfill_job_id = window_embeddings.backfill_job_id
            and job_repositories.full_name = window_embeddings.full_name

),

job_totals as (

    select
        backfill_job_id,
        count(*) as job_repositories_total,
        count(case when repository_status = 'completed' then 1 end)
            as job_repositories_completed,
        count(case when repository_status = 'failed' then 1 end)
            as job_repositories_failed,
        cast(sum(items_loaded) as bigint) as job_items_loaded,
        cast(sum(items_total) as bigint) as job_items_total,
        avg(repository_pct_complete) as job_pct_complete,
        -- null as soon as one unfinished repository has no total yet: unknown, not zero
        case
            when count(*) = count(items_remaining) then cast(sum(items_remaining) as bigint)
        end as job_items_remaining
    from repository_progress
    group by backfill_job_id

),

final as (

    select
        repository_progress.*,
        job_totals.job_repositories_total,
        job_totals.job_repositories_completed,
        job_totals.job_repositories_failed,
        job_totals.job_items_loaded,
        job_totals.job_items_total,
        case
            when repository_progress.job_status = 'completed' then 100.0
            else job_totals.job_pct_complete
        end as job_pct_complete,
        job_totals.job_items_remaining,
        case
            when repository_progress.job_status = 'completed' then 0
            when repository_progress.job_status not in ('pending', 'in_progress') then null
            when job_totals.job_items_remaining is null then null
            when job_totals.job_items_remaining = 0 then 0
            when repository_progress.started_at is null or job_totals.job_items_loaded = 0
                then null
            -- remaining / (loaded / elapsed), written to divide once
            else cast(
                    cast(job_totals.job_items_remaining as {{ dbt.type_float() }})
                    * repository_progress.hours_running * 3600
                    / job_totals.job_items_loaded as {{ dbt.type_bigint() }}
                )
        end as job_eta_seconds
    from repository_progress
    inner join job_totals
        on repository_progress.backfill_job_id = job_totals.backfill_job_id

)

select * from final
