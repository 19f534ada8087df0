{#-
    The date spine: one row per tracked repository and UTC day of its retention window,
    ending on the build's as-of date. daily_activity_metrics fills every row (zeros
    included) and drops rows that fall out of it.

    A table, not a view: daily_activity_metrics reads it several times per run (affected
    days, missing days, the post-hook), and expanding the series each time costs more
    than the 365 rows per repository it holds.
-#}
{{
    config(
        materialized='table',
        indexes=postgres_indexes([
            {'columns': ['repository_id', 'activity_date'], 'unique': true},
        ]),
    )
}}

with

repositories as (

    select * from {{ ref('int_repositories_tracked') }}

),

day_offsets as (

    -- 1..max_retention_days; dbt's generate_series is portable (cross-joined powers of 2).
    {{ dbt.generate_series(var('max_retention_days')) }}

),

final as (

    select
        repositories.repository_id,
        repositories.full_name,
        cast(
            {{ dbt.dateadd('day', '1 - day_offsets.generated_number', as_of_date()) }} as date
        ) as activity_date,
        repositories.retention_days
    from repositories
    inner join day_offsets
        on repositories.retention_days >= day_offsets.generated_number

)

select * from final
