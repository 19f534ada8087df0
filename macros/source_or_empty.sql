{#-
    A raw relation that may not exist yet. dlt creates a raw table only once rows arrive
    (a workspace that never asks for discussions never gets `discussions`), so staging
    models select from this instead of `source()`: the real table when it exists, otherwise
    an empty relation typed from the `data_type`s declared in the source yml.
    `source()` is always called so lineage and freshness stay intact.

    `null_missing_columns=true`: a raw table written by an older loader may lack columns
    the contract added since (an older warehouse's `issue_events` has no `label_name`).
    The existing table is then read through a projection that selects each declared column
    it lacks as a typed null, so the staging model builds unchanged. Opt-in, because it
    costs one catalog query per model build.
-#}
{% macro source_or_empty(source_name, table_name, null_missing_columns=false) %}
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
    {%- if existing is not none and not null_missing_columns -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set columns = declared_source_columns(source_name, table_name) -%}
    {%- if existing is not none -%}
        {{ return(with_declared_columns(relation, existing, columns, table_name)) }}
    {%- endif -%}
    {%- set empty_select -%}
        (select
        {%- for column in columns %}
            cast(null as {{ source_column_type(column.data_type) }}) as {{ column.name }}
            {{- "," if not loop.last }}
        {%- endfor %}
        where 1 = 0) as empty_{{ table_name }}
    {%- endset -%}
    {{ return(empty_select) }}
{% endmacro %}

{#- The columns (with data_type) a source table declares in its yml; an error if none. -#}
{% macro declared_source_columns(source_name, table_name) %}
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
    {{ return(columns) }}
{% endmacro %}

{#- `relation` itself when it has every declared column, else a projection of it that
    fills the missing ones with typed nulls (names compared case-insensitively). -#}
{% macro with_declared_columns(relation, existing, columns, table_name) %}
    {%- set present = adapter.get_columns_in_relation(existing)
        | map(attribute='name') | map('lower') | list -%}
    {%- set missing = columns | rejectattr('name', 'in', present) | list -%}
    {%- if missing | length == 0 -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set projection -%}
        (select
            older.*
        {%- for column in missing %},
            cast(null as {{ source_column_type(column.data_type) }}) as {{ column.name }}
        {%- endfor %}
        from {{ relation }} as older) as older_{{ table_name }}
    {%- endset -%}
    {{ return(projection) }}
{% endmacro %}

{#- A source yml `data_type` (PostgreSQL spelling, which DuckDB reads too) for this engine. -#}
{% macro source_column_type(data_type) -%}
    {{ return(adapter.dispatch('source_column_type')(data_type)) }}
{%- endmacro %}

{% macro default__source_column_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro spark__source_column_type(data_type) -%}
    {%- set spelled = data_type | lower | trim -%}
    {%- if spelled.endswith('[]') -%}
        {{ return('array<' ~ spark__source_column_type(spelled[:-2]) ~ '>') }}
    {%- endif -%}
    {%- set names = {
        'text': 'string', 'varchar': 'string', 'json': 'string', 'jsonb': 'string',
        'timestamp with time zone': 'timestamp', 'timestamptz': 'timestamp',
        'double precision': 'double', 'real': 'float', 'integer': 'int',
    } -%}
    {{ return(names.get(spelled, spelled)) }}
{%- endmacro %}
