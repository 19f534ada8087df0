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
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['repository_id', 'actor_login'],
        on_schema_change='append_new_columns',
        tags=['hourly'],
        pre_hook=["set local jit = off"] if target.type == 'postgres' else [],
        indexes=[
            {'columns': ['repository_id', 'actor_login'], 'unique': true},
        ] if target.type == 'postgres' else [],
    )
}}

with

events as (

    select * from {{ ref('int_activity_events') }}
    where is_contribution

),

loads as (select * from {{ ref('stg_github__loads') }}),

loads_seen as (select max(inserted_at) as seen_through from loads),

{% if is_incremental() %}
watermark as (select max(loads_seen_through) as seen_through from {{ this }}),

new_loads as (

    select loads.dlt_load_id
    from loads
    cross join watermark
    where watermark.seen_through is null or loads.inserted_at > watermark.seen_through

),
{% endif %}

batch as (

    select
        repository_id,
        actor_login,
        min(activity_date) as first_contribution_date
    from events
    {%- if is_incremental() %}
    where dlt_load_id in (select new_loads.dlt_load_id from new_loads)
    {%- endif %}
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

select * from final
