{#-
    Register Parquet directories as Spark tables (docs/spark.md): the raw and control schemas
    of the lake `warehouse lake export` writes (dlt's filesystem destination, one folder of
    load files per table). mergeSchema: files of older loads may lack columns added since.
    `tables`: a list of {schema, name, path}. Replaces an existing table of that name; the
    files stay where they are (an external table: dropping it keeps them).
    Run as `dbt run-operation register_parquet_tables --args '{tables: [...]}'` on Spark.
-#}
{% macro register_parquet_tables(tables) %}
    {{ return(adapter.dispatch('register_parquet_tables')(tables)) }}
{% endmacro %}

{% macro default__register_parquet_tables(tables) %}
    {{ exceptions.raise_compiler_error(
        "register_parquet_tables is for the spark target; the loaders write the raw tables"
        ~ " of this one themselves") }}
{% endmacro %}

{% macro spark__register_parquet_tables(tables) %}
    {%- for schema in tables | map(attribute='schema') | unique %}
        {%- do run_query('create schema if not exists ' ~ schema) %}
    {%- endfor %}
    {%- for table in tables %}
        {%- do run_query('drop table if exists ' ~ table.schema ~ '.' ~ table.name) %}
        {%- do run_query(
            'create table ' ~ table.schema ~ '.' ~ table.name
            ~ " using parquet options (mergeSchema 'true') location '" ~ table.path ~ "'") %}
    {%- endfor %}
    {{ log('registered ' ~ tables | length ~ ' Parquet tables', info=true) }}
{% endmacro %}

{#-
    Write each of `relations` (names in the target schema: tables or views) as Parquet
    files under `directory`/<name>, for reading elsewhere (pytests/spark compares Spark's
    marts with DuckDB's this way; views have no files of their own).
-#}
{% macro export_relations_to_parquet(relations, directory) %}
    {{ return(adapter.dispatch('export_relations_to_parquet')(relations, directory)) }}
{% endmacro %}

{% macro default__export_relations_to_parquet(relations, directory) %}
    {{ exceptions.raise_compiler_error("export_relations_to_parquet is for the spark target") }}
{% endmacro %}

{% macro spark__export_relations_to_parquet(relations, directory) %}
    {%- for name in relations %}
        {%- do run_query(
            "insert overwrite directory '" ~ directory ~ "/" ~ name ~ "' using parquet"
            ~ " select * from " ~ target.schema ~ "." ~ name) %}
    {%- endfor %}
    {{ log('exported ' ~ relations | length ~ ' relations to ' ~ directory, info=true) }}
{% endmacro %}
