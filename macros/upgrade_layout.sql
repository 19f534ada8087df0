{#-
    Upgrading a warehouse built before marts, staging and intermediate had schemas of
    their own (macros/generate_schema_name.sql) and before counts were bigint (DuckDB's
    sum() is HUGEINT, PostgreSQL's sum() of bigint is numeric; counts are now count() or
    cast to bigint). Both hooks are no-ops on a warehouse already up to date: a catalog
    lookup each.

    narrow_count_columns (on-run-start): an incremental table keeps its column types across
    runs, so a count created as HUGEINT (DuckDB sum) or unconstrained numeric (PostgreSQL
    sum of bigint) would stay so until a --full-refresh. Alter it to bigint in place. No
    model column may be of these types any more (pytests/dbt/test_catalog.py), so any
    such column is a leftover.

    drop_relocated_relations (on-run-end): staging and intermediate relations (and seeds)
    used to live in the marts schema. The first build after the upgrade creates them in
    their new schemas (the incremental intermediate tables are rebuilt in full from raw,
    once); the old copies are dropped once every model was built in that run, so no view
    still reads them. Until then they stay, untouched and unread.

    Both run their statements in a transaction of their own and commit it: run_query would
    leave them to dbt, which rolls the hooks' connection back afterwards.
-#}
{% macro narrow_count_columns() -%}
    {{ return(adapter.dispatch('narrow_count_columns')()) }}
{%- endmacro %}

{#- Spark: no warehouse built before bigint counts exists there, and its catalog has no
    information_schema to look them up in. -#}
{% macro spark__narrow_count_columns() -%}
{%- endmacro %}

{% macro default__narrow_count_columns() -%}
    {%- if execute -%}
        {%- set tables = [] -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
            {%- do tables.append("'" ~ node.schema ~ "." ~ node.alias ~ "'") -%}
        {%- endfor -%}
        {#- One catalog query for all of them: this runs before every build. -#}
        {%- set wide = run_query(
            "select table_schema, table_name, column_name, data_type"
            ~ " from information_schema.columns"
            ~ " where table_schema || '.' || table_name in (" ~ tables | join(", ") ~ ")"
            ~ " and " ~ adapter.dispatch('wide_count_condition')()
        ) if tables else none -%}
        {%- for row in (wide.rows if wide else []) -%}
            {%- set relation = api.Relation.create(
                database=target.database, schema=row[0], identifier=row[1]
            ) -%}
            {%- do log('narrowing ' ~ relation ~ '.' ~ row[2] ~ ' from ' ~ row[3]
                ~ ' to bigint', info=true) -%}
            {%- call statement('narrow_count_column', auto_begin=true) -%}
                alter table {{ relation }} alter column {{ adapter.quote(row[2]) }}
                type {{ dbt.type_bigint() }}
            {%- endcall -%}
            {%- if loop.last %}{% do adapter.commit() %}{% endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- PostgreSQL: sum(bigint) is numeric without precision or scale. -#}
{% macro default__wide_count_condition() -%}
    data_type = 'numeric' and numeric_scale is null
{%- endmacro %}

{% macro duckdb__wide_count_condition() -%}
    data_type in ('HUGEINT', 'INT128', 'UHUGEINT')
{%- endmacro %}

{% macro drop_relocated_relations(results) -%}
    {%- if execute -%}
        {%- set succeeded = results
            | selectattr('status', 'equalto', 'success')
            | map(attribute='node.unique_id') | list -%}
        {%- set models = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}
        {%- if models | rejectattr('unique_id', 'in', succeeded) | list | length == 0 -%}
            {%- set done = namespace(any=false) -%}
            {%- for node in graph.nodes.values()
                if node.resource_type in ('model', 'seed') and node.schema != target.schema -%}
                {%- set legacy = adapter.get_relation(
                    database=node.database, schema=target.schema, identifier=node.alias
                ) -%}
                {%- if legacy is not none -%}
                    {%- do log('dropping ' ~ legacy ~ ' (now ' ~ node.schema ~ '.'
                        ~ node.alias ~ ')', info=true) -%}
                    {%- call statement('drop_relocated_relation', auto_begin=true) -%}
                        {{ get_drop_sql(legacy) }}
                    {%- endcall -%}
                    {%- set done.any = true -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if done.any %}{% do adapter.commit() %}{% endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
