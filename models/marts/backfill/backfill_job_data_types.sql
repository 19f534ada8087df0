{#-
    Backfill jobs as the product tracks them: one row per (job, repository, data type the
    job loads for it), with the purchase that started the job and the data type's outcome.
    A view: it reads the control tables live while a job runs.
      data types        the fetch flags fixed when the job was created
                        (backfill_job_repositories.data_types); for jobs older than that
                        column and for window jobs, the workspace's flags now (what the
                        runner loads for them).
      data_type_status  done (loaded and committed: counts_json's `done`), failed (in the
                        chunk whose load failed), not_loaded (the repository failed on another
                        chunk or the job was canceled before it), pending (not loaded yet).
    Embeddings a job produced are not counted here yet: embeddings are built by another
    component (docs/marts.md says where the count goes once it exists).
-#}
{{ config(materialized='view', tags=['control', 'hourly']) }}

{%- set flags = fetch_flags() %}

with

jobs as (

    select * from {{ ref('stg_control__backfill_jobs') }}

),

job_repositories as (

    select * from {{ ref('stg_control__backfill_job_repositories') }}

),

workspace_repositories as (

    select * from {{ ref('stg_control__workspace_repositories') }}

),

data_types as (

    {%- for flag in flags %}
    select '{{ flag }}' as data_type
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

covered as (

    select
        jobs.backfill_job_id,
        jobs.workspace_slug,
        jobs.job_status,
        jobs.job_trigger,
        jobs.webhook_id,
        jobs.billing_subscription_id,
        job_repositories.full_name,
        job_repositories.repository_status,
        job_repositories.counts_json,
        job_repositories.failed_data_types,
        data_types.data_type
    from job_repositories
    inner join jobs
        on job_repositories.backfill_job_id = jobs.backfill_job_id
    cross join data_types
    left join workspace_repositories
        on
            jobs.workspace_slug = workspace_repositories.workspace_slug
            and job_repositories.full_name = workspace_repositories.full_name
    where
        case
            when job_repositories.data_types is not null
                then
                    ',' || job_repositories.data_types || ','
                    like '%,' || data_types.data_type || ',%'
            else
                case data_types.data_type
                    {%- for flag in flags %}
                    when '{{ flag }}' then coalesce(workspace_repositories.fetch_{{ flag }}, true)
                    {%- endfor %}
                end
        end

),

final as (

    select
        backfill_job_id,
        workspace_slug,
        job_status,
        job_trigger,
        webhook_id,
        billing_subscription_id,
        full_name,
        repository_status,
        data_type,
        case
            when {{ json_list_contains('counts_json', 'done', 'data_type') }} then 'done'
            when ',' || coalesce(failed_data_types, '') || ',' like '%,' || data_type || ',%'
                then 'failed'
            when repository_status in ('failed', 'canceled') then 'not_loaded'
            else 'pending'
        end as data_type_status
    from covered

)

select * from final
