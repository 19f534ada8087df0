{#-
    Daily trends per tracked repository, from daily_activity_metrics: 7- and 28-day moving
    averages (trailing, current day included) and anomaly flags.

    Anomaly rule (robust z-score, Iglewicz & Hoaglin): for each series, take the trailing
    28 days before the day (the day itself excluded), their median m and median absolute
    deviation MAD; z = (x - m) / max(1.4826 * MAD, var('anomaly_min_scale')). A day is
    anomalous when |z| > var('anomaly_z_threshold') (3.5) and at least
    var('anomaly_min_history_days') (14) trailing days exist. The scale floor of one event
    keeps count series that are usually constant (MAD = 0) from flagging every +1; a
    spike is z > threshold, a silent day z < -threshold. Only complete days are flagged:
    today, or a day not yet covered by a sync, would read as a silent day.
-#}
{%- set series = ['commits_count', 'prs_opened', 'issues_opened', 'active_contributors'] -%}
{{ config(tags=['nightly']) }}

with

daily as (

    select * from {{ ref('daily_activity_metrics') }}

),

long_series as (

    {%- for metric in series %}
    select
        repository_id,
        activity_date,
        '{{ metric }}' as metric_name,
        cast({{ metric }} as {{ type_double() }}) as metric_value
    from daily
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

trailing_median as (

    select
        current_day.repository_id,
        current_day.activity_date,
        current_day.metric_name,
        current_day.metric_value,
        count(*) as history_days,
        {{ median('history.metric_value') }} as trailing_median
    from long_series as current_day
    inner join long_series as history
        on
            current_day.repository_id = history.repository_id
            and current_day.metric_name = history.metric_name
            and current_day.activity_date > history.activity_date
            and history.activity_date
            >= {{ dbt.dateadd('day', -28, 'current_day.activity_date') }}
    group by
        current_day.repository_id,
        current_day.activity_date,
        current_day.metric_name,
        current_day.metric_value

),

trailing_deviation as (

    select
        trailing_median.repository_id,
        trailing_median.activity_date,
        trailing_median.metric_name,
        trailing_median.metric_value,
        trailing_median.history_days,
        trailing_median.trailing_median,
        {{ median('abs(history.metric_value - trailing_median.trailing_median)') }}
            as trailing_mad
    from trailing_median
    inner join long_series as history
        on
            trailing_median.repository_id = history.repository_id
            and trailing_median.metric_name = history.metric_name
            and trailing_median.activity_date > history.activity_date
            and history.activity_date
            >= {{ dbt.dateadd('day', -28, 'trailing_median.activity_date') }}
    group by
        trailing_median.repository_id,
        trailing_median.activity_date,
        trailing_median.metric_name,
        trailing_median.metric_value,
        trailing_median.history_days,
        trailing_median.trailing_median

),

scored as (

    select
        repository_id,
        activity_date,
        metric_name,
        history_days,
        (metric_value - trailing_median) / (
            case
                when 1.4826 * trailing_mad > {{ var('anomaly_min_scale') }}
                    then 1.4826 * trailing_mad
                else {{ var('anomaly_min_scale') }}
            end
        ) as robust_z
    from trailing_deviation

),

pivoted as (

    select
        repository_id,
        activity_date,
        max(history_days) as history_days,
    {%- for metric in series %}
    max(case when metric_name = '{{ metric }}' then robust_z end) as {{ metric }}_robust_z
    {{- "," if not loop.last }}
    {%- endfor %}
    from scored
    group by repository_id, activity_date

),

moving as (

    select
        repository_id,
        activity_date,
        full_name,
        is_complete,
        {%- for metric in series + ['prs_merged', 'issues_closed', 'stars'] %}
        {{ metric }},
        avg(cast({{ metric }} as {{ type_double() }})) over (
            partition by repository_id order by activity_date
            rows between 6 preceding and current row
        ) as {{ metric }}_7d_avg,
        avg(cast({{ metric }} as {{ type_double() }})) over (
            partition by repository_id order by activity_date
            rows between 27 preceding and current row
        ) as {{ metric }}_28d_avg,
        {%- endfor %}
        count(*) over (
            partition by repository_id order by activity_date
            rows between 27 preceding and current row
        ) as days_in_28d_window
    from daily

),

final as (

    select
        moving.*,
        coalesce(pivoted.history_days, 0) as trailing_history_days,
        {%- for metric in series %}
        pivoted.{{ metric }}_robust_z,
        coalesce(
            moving.is_complete
            and pivoted.history_days >= {{ var('anomaly_min_history_days') }}
            and abs(pivoted.{{ metric }}_robust_z) > {{ var('anomaly_z_threshold') }},
            false
        ) as is_{{ metric }}_anomaly,
        {%- endfor %}
        coalesce(
            moving.is_complete
            and pivoted.history_days >= {{ var('anomaly_min_history_days') }}
            and (
                {%- for metric in series %}
                abs(pivoted.{{ metric }}_robust_z) > {{ var('anomaly_z_threshold') }}
                {{- " or" if not loop.last }}
                {%- endfor %}
            ),
            false
        ) as is_anomaly
    from moving
    left join pivoted
        on
            moving.repository_id = pivoted.repository_id
            and moving.activity_date = pivoted.activity_date

)

select * from final
