{#-
    The look-back ranges of the workspace caches, as a relation (time_range, range_days,
    range_hours). One list so every cache and its docs agree.
-#}
{% macro time_ranges(names) -%}
    {%- set known = {
        '24h': (1, 24), '7d': (7, 168), '30d': (30, 720), '90d': (90, 2160), '1y': (365, 8760)
    } -%}
    {%- for name in names %}
    select
        '{{ name }}' as time_range,
        {{ known[name][0] }} as range_days,
        {{ known[name][1] }} as range_hours
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- Percent change from previous to current; null when there is no previous value. -#}
{% macro trend_pct(current, previous) -%}
    case
        when {{ previous }} is null or {{ previous }} = 0 then null
        else
            (cast({{ current }} as {{ type_double() }}) - {{ previous }}) * 100.0
            / {{ previous }}
    end
{%- endmacro %}
