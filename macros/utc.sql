{#-
    UTC everywhere. Raw timestamps are `timestamp with time zone`; DuckDB renders those in
    the session time zone (the laptop's), PostgreSQL in the server's. Converting once, in
    staging, to a naive UTC timestamp makes every later `cast(... as date)` a UTC calendar
    day on both engines, whatever the session says.
-#}
{% macro to_utc(column) -%}
    {{ return(adapter.dispatch('to_utc')(column)) }}
{%- endmacro %}

{% macro default__to_utc(column) -%}
    cast(({{ column }}) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Spark has no `at time zone`: its timestamp is an instant, shown and cut into dates in
    the session time zone, which the spark profile pins to UTC (spark.sql.session.timeZone). -#}
{% macro spark__to_utc(column) -%}
    cast({{ column }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#-
    The build's "now" as a naive UTC timestamp. `var('as_of')` or, for a whole
    `warehouse run`, the environment variable WAREHOUSE_AS_OF ('YYYY-MM-DD HH:MM:SS', UTC)
    pins it, so tests and replays of an emulated world get deterministic windows. Only the
    marts' clock: the loaders, the purge and freshness keep the real one.
-#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('as_of', none) or env_var('WAREHOUSE_AS_OF', '') -%}
    {%- if as_of -%}
        {%- if not modules.re.fullmatch('\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}', as_of) -%}
            {{ exceptions.raise_compiler_error(
                "as_of (dbt var or WAREHOUSE_AS_OF) must be 'YYYY-MM-DD HH:MM:SS' in UTC, got '"
                ~ as_of ~ "'"
            ) }}
        {%- endif -%}
        cast('{{ as_of }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        {{ to_utc('current_timestamp') }}
    {%- endif -%}
{%- endmacro %}

{% macro as_of_date() -%}
    cast({{ as_of_timestamp() }} as date)
{%- endmacro %}

{#- dlt load ids are the unix epoch of the load as text, e.g. '1763812345.123456'. -#}
{% macro load_id_to_timestamp(column) -%}
    {{ return(adapter.dispatch('load_id_to_timestamp')(column)) }}
{%- endmacro %}

{% macro default__load_id_to_timestamp(column) -%}
    {{ to_utc('to_timestamp(cast(' ~ column ~ ' as double precision))') }}
{%- endmacro %}

{#- Spark's to_timestamp parses text; timestamp_seconds takes fractional epoch seconds. -#}
{% macro spark__load_id_to_timestamp(column) -%}
    timestamp_seconds(cast({{ column }} as double))
{%- endmacro %}
