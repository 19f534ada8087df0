{#-
    One row per tracked repository: the history it is entitled to (the longest retention of
    the active workspaces tracking it) against the history the warehouse holds complete, and
    the backfill job filling the difference. Days before history_complete_from_date are not
    loaded yet: a mart showing zeros there means "not covered yet", not "nothing happened".
    Join it (on full_name or repository_id) to mark uncovered days in any mart.
-#}
{{ config(tags=['hourly']) }}

with

coverage as (

    select * from {{ ref('int_repositories__history_coverage') }}

),

job_repositories as (

    select * from {{ ref('stg_control__backfill_job_repositories') }}
    where repository_status in ('pending', 'in_progress')

),

jobs as (

    select * from {{ ref('stg_control__backfill_jobs') }}
    where job_status in ('pending', 'in_progress')

),

-- The active job reaching furthest back for each repository.
filling as (

    select
        job_repositories.full_name,
        min(job_repositories.backfill_job_id) as filling_job_id,
        min(cast({{ to_utc('job_repositories.window_start') }} as date)) as filling_from_date
    from job_repositories
    inner join jobs
        on job_repositories.backfill_job_id = jobs.backfill_job_id
    group by job_repositories.full_name

),

final as (

    select
        coverage.full_name,
        coverage.repository_id,
        coverage.retention_days,
        coverage.window_start_date,
        coverage.history_complete_from,
        coverage.history_complete_from_date,
        coverage.is_history_complete,
        coverage.is_reloading_after_purge,
        cast(case
            when coverage.is_history_complete then 0
            when coverage.history_complete_from_date is null then coverage.retention_days
            else {{ dbt.datediff(
                'coverage.window_start_date', 'coverage.history_complete_from_date', 'day'
            ) }}
        end as {{ dbt.type_bigint() }}) as missing_days,
        filling.filling_job_id,
        filling.filling_from_date
    from coverage
    left join filling
        on coverage.full_name = filling.full_name

)

select * from final
