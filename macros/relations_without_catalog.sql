{#-
    Views store their SQL text, and a DuckDB file's catalog is named after the file: a view
    written as `select ... from "warehouse"."analytics"."x"` fails with
    `Catalog "warehouse" does not exist!` once the file is copied or restored as
    `backup.duckdb`. So on DuckDB `ref()` and `source()` render `schema.table` only: DuckDB
    binds a view's unqualified names in the view's own catalog, whatever the file is called
    (also when another session attaches it under any alias). PostgreSQL keeps dbt's default.
-#}
{% macro ref() %}
    {{ return(relation_for_stored_sql(builtins.ref(*varargs, **kwargs))) }}
{% endmacro %}

{% macro source() %}
    {{ return(relation_for_stored_sql(builtins.source(*varargs, **kwargs))) }}
{% endmacro %}

{% macro relation_for_stored_sql(relation) %}
    {{ return(adapter.dispatch('relation_for_stored_sql', 'workspace_warehouse')(relation)) }}
{% endmacro %}

{% macro default__relation_for_stored_sql(relation) %}
    {{ return(relation) }}
{% endmacro %}

{% macro duckdb__relation_for_stored_sql(relation) %}
    {{ return(relation.include(database=false)) }}
{% endmacro %}
