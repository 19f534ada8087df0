{#-
    First contribution day of every contributor in every repository, over all loaded
    history, kept incrementally so daily metrics never re-aggregate the whole stream.
    A run reads only events of loads committed since the last run: the first day is the
    earlier of the stored one and the batch's. previous_first_contribution_date keeps the
    day it replaced (a backfill can reveal an earlier contribution), so
    daily_activity_metrics can recompute that day's new_contributors too.
-#}
{#- PostgreSQL: JIT off, its compile time dwarfs this small incremental query (see
    int_activity_events); `set local` ends with the model's transaction. -#}
{%- set events_seen_through = (
    'select max(dlt_loads_seen_through) from ' ~ ref('int_activity_events')
) -%}
{#- Loads int_activity_events has processed and this model has not (macros/new_loads.sql). -#}
{%- set new_rows = load_ids_filter('dlt_load_id', unseen_load_ids(
    ref('stg_github__loads'),
    'select max(loads_seen_through) from ' ~ this,
    ceiling=events_seen_through,
)) if is_incremental() else '1 = 1' -%}
{%- set covered_loads = new_rows if is_incremental()
    else 'inserted_at <= (' ~ events_seen_through ~ ')' -%}
{#- PostgreSQL index on loads_seen_through: the watermark (max) and the rows
    daily_activity_metrics reads as written since its last run are lookups, not scans. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy(),
        unique_key=['repository_id', 'actor_login'],
        partition_by=spark_partition_by('first_contribution_date'),
        on_schema_change='append_new_columns',
        tags=['hourly'],
        pre_hook=["{{ jit_off() }}"],
        post_hook=["{{ analyze_if_stale(this) }}"],
        indexes=postgres_indexes([
            {'columns': ['repository_id', 'actor_login'], 'unique': true},
            {'columns': ['repository_id', 'first_contribution_date']},
            {'columns': ['loads_seen_through']},
        ]),
    )
}}

with

events as (

    select * from {{ ref('int_activity_events') }}
    where is_contribution

),

-- The loads this run covers: the watermark the next run starts from.
loads_seen as (

    select max(inserted_at) as seen_through
    from {{ ref('stg_github__loads') }}
    where {{ covered_loads }}

),

batch as (

    select
        repository_id,
        actor_login,
        min(activity_date) as first_contribution_date
    from events
    where {{ new_rows }}
    group by repository_id, actor_login

),

final as (

    select
        batch.repository_id,
        batch.actor_login,
        {%- if is_incremental() %}
        case
            when
                existing.first_contribution_date is null
                or batch.first_contribution_date < existing.first_contribution_date
                then batch.first_contribution_date
            else existing.first_contribution_date
        end as first_contribution_date,
        case
            when batch.first_contribution_date < existing.first_contribution_date
                then existing.first_contribution_date
        end as previous_first_contribution_date,
        {%- else %}
        batch.first_contribution_date,
        cast(null as date) as previous_first_contribution_date,
        {%- endif %}
        (select loads_seen.seen_through from loads_seen) as loads_seen_through
    from batch
    {%- if is_incremental() %}
    left join {{ this }} as existing
        on
            batch.repository_id = existing.repository_id
            and batch.actor_login = existing.actor_login
    {%- endif %}

)
{#- Spark: plus the kept rows of the partitions these rows touch (delete+insert there). #}

{{ rewrite_touched_partitions('select * from final') }}
