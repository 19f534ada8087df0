{#-
    A raw relation that may not exist yet. dlt creates a raw table only once rows arrive
    (a workspace that never asks for discussions never gets `discussions`), so staging
    models select from this instead of `source()`: the real table when it exists, otherwise
    an empty relation typed from the `data_type`s declared in the source yml.
    `source()` is always called so lineage and freshness stay intact.
-#}
{% macro source_or_empty(source_name, table_name) %}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {#- In a unit test, source() points at the fixture CTE (no schema): use it as is. -#}
    {%- if relation.schema is none or (relation.identifier or '').startswith('__dbt__cte__') -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {%- if existing is not none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set node = graph.sources.values()
        | selectattr('source_name', 'equalto', source_name)
        | selectattr('name', 'equalto', table_name)
        | first -%}
    {%- set columns = node.columns.values() | list -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "source " ~ source_name ~ "." ~ table_name
            ~ " is missing and declares no columns with data_type to build it empty from"
        ) }}
    {%- endif -%}
    {%- set empty_select -%}
        (select
        {%- for column in columns %}
            cast(null as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
        {%- endfor %}
        where 1 = 0) as empty_{{ table_name }}
    {%- endset -%}
    {{ return(empty_select) }}
{% endmacro %}
