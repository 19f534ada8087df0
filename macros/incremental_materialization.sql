{#-
    The materialization of the incremental models (int_activity_events,
    int_repository_first_contributions, daily_activity_metrics): `incremental` with
    delete+insert on a unique key, or `table` where the engine's tables cannot do that.
    Spark's plain Parquet tables offer only append and insert_overwrite of whole partitions
    (merge needs Delta or Iceberg), so on Spark these models are rebuilt in full on every
    run, with the same SQL a --full-refresh runs elsewhere (docs/spark.md).
-#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
