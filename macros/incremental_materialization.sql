{#-
    How the incremental models (int_activity_events, int_repository_first_contributions,
    daily_activity_metrics) replace the rows of a run: delete+insert on their unique key.

    Spark's plain Parquet tables have neither DELETE nor MERGE (those need Delta or
    Iceberg); what they have is `insert_overwrite` of whole partitions (dbt-spark sets
    partitionOverwriteMode=DYNAMIC, so only the partitions the run's rows fall in are
    replaced). There the models are partitioned by a date (spark_partition_by), and
    rewrite_touched_partitions turns a run's new rows into the full new content of every
    partition delete+insert would change: the same result as delete+insert (docs/spark.md).
-#}
{% macro incremental_strategy() -%}
    {{ return(adapter.dispatch('incremental_strategy')()) }}
{%- endmacro %}

{% macro default__incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__incremental_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#- The table's partition columns where the strategy needs them (Spark); none elsewhere. -#}
{% macro spark_partition_by(columns) -%}
    {{ return(adapter.dispatch('spark_partition_by')(columns)) }}
{%- endmacro %}

{% macro default__spark_partition_by(columns) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__spark_partition_by(columns) -%}
    {{ return(columns) }}
{%- endmacro %}

{#-
    The rows an incremental run writes, given `new_rows` (the model's final select, as SQL
    text that may read the model's CTEs), for the model's unique_key and partition_by.
    Elsewhere `new_rows` unchanged: delete+insert removes the stored rows with their keys.
    Spark, in an incremental run: the partitions delete+insert would touch are those of the
    new rows and those of the stored rows with a new row's key (a key can move between
    partitions: an event's day, a contributor's first day). Their new content is the new
    rows plus their stored rows whose key has no new row; insert_overwrite replaces exactly
    those partitions. Either way (a full build too) the rows are distributed by partition
    before the write. Columns are listed in the stored table's order, since a partitioned
    Spark table keeps its partition columns last; a column added to the model reaches a
    Spark table with --full-refresh.
-#}
{% macro rewrite_touched_partitions(new_rows) -%}
    {{ return(adapter.dispatch('rewrite_touched_partitions')(new_rows)) }}
{%- endmacro %}

{% macro default__rewrite_touched_partitions(new_rows) -%}
    {{ return(new_rows) }}
{%- endmacro %}

{% macro spark__rewrite_touched_partitions(new_rows) -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- set partition_by = config.get('partition_by') -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set partitions = [partition_by] if partition_by is string else partition_by or [] -%}
    {%- if not is_incremental() -%}
        {#- One task writes each partition: one file per day, not one per task and day
            (a table of many small files costs every later read more than this shuffle). -#}
        {{ return(new_rows if not partitions else 'select * from (' ~ new_rows
            ~ ') as new_rows distribute by ' ~ partitions | join(', ')) }}
    {%- endif -%}
    {%- if not partitions -%}
        {{ exceptions.raise_compiler_error(
            "rewrite_touched_partitions on Spark needs partition columns: an unpartitioned"
            ~ " table cannot be overwritten by a query that reads it") }}
    {%- endif -%}
    {#- A partition column outside the key: a key's stored row can be in another partition. -#}
    {%- set keys_can_move = partitions | reject('in', keys) | list | length > 0 -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list
        if execute else [] -%}
    select * from (
        with rewrite_new_rows as (
            {{ new_rows }}
        ),

        rewrite_new_keys as (
            select distinct {{ keys | join(', ') }} from rewrite_new_rows
        ),

        rewrite_partitions as (
            select distinct {{ partitions | join(', ') }} from rewrite_new_rows
            {%- if keys_can_move %}
            union
            select {{ qualified('stored', partitions) }}
            from {{ this }} as stored
            left semi join rewrite_new_keys as new_keys
                on {{ equal_on('stored', 'new_keys', keys) }}
            {%- endif %}
        )

        select {{ columns | join(', ') }} from rewrite_new_rows
        union all
        select {{ qualified('stored', columns) }}
        from {{ this }} as stored
        left semi join rewrite_partitions as touched
            on {{ equal_on('stored', 'touched', partitions) }}
        left anti join rewrite_new_keys as new_keys
            on {{ equal_on('stored', 'new_keys', keys) }}
    ) as rewritten
    distribute by {{ partitions | join(', ') }}
{%- endmacro %}

{#- `alias.a, alias.b` for columns [a, b]. -#}
{% macro qualified(alias, columns) -%}
    {%- for column in columns %}{{ alias }}.{{ column }}{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}

{#- `left.a = right.a and left.b = right.b` for columns [a, b]. -#}
{% macro equal_on(left, right, columns) -%}
    {%- for column in columns -%}
        {{ left }}.{{ column }} = {{ right }}.{{ column }}{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
