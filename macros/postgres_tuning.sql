{#-
    Engine-specific tuning in model configs, so models name no engine (STYLE.md):
      - postgres_indexes: the indexes a table gets on PostgreSQL (its delete+insert key
        lookups and the API's filters need them); none elsewhere (DuckDB scans, Spark has
        no indexes).
      - jit_off: a pre-hook that turns PostgreSQL's JIT off for the model's transaction
        (`set local`): compiling the big incremental queries cost more than running them
        (benchmarks/dbt_build.py). No SQL elsewhere; dbt skips an empty hook.
-#}
{% macro postgres_indexes(indexes) -%}
    {{ return(adapter.dispatch('postgres_indexes')(indexes)) }}
{%- endmacro %}

{% macro default__postgres_indexes(indexes) -%}
    {{ return([]) }}
{%- endmacro %}

{% macro postgres__postgres_indexes(indexes) -%}
    {{ return(indexes) }}
{%- endmacro %}

{% macro jit_off() -%}
    {{ return(adapter.dispatch('jit_off')()) }}
{%- endmacro %}

{% macro default__jit_off() -%}
{%- endmacro %}

{% macro postgres__jit_off() -%}
    set local jit = off
{%- endmacro %}
