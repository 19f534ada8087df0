{#-
    Looking up a few keys of a big relation (the comments of the issues a batch touched, the
    stored events of its changed source rows) must cost what the keys cost, not what the
    relation holds. The two engines need different SQL for that:
      - PostgreSQL has indexes: a lateral subquery per key is one index lookup each. A plain
        join or `in (subquery)` lets the planner, which cannot know the key set is small,
        hash the whole relation; `offset 0` keeps it from flattening the lateral back.
      - DuckDB has no point lookups and decorrelates the lateral into a hash join over the
        whole relation: for a staging view that is its latest-version anti-join over all
        of history. Keys written into the SQL as literals are a filter instead, which
        DuckDB pushes through the view into the raw table scan, before the anti-join
        (benchmarks/dbt_build.py: 75 ms -> 18 ms per 264,000-row table).
    So models fetch the keys while they compile (`small_key_list`, DuckDB only) and hand
    them to `rows_for_keys`; when there are too many (a first load or a backfill) they get
    none back and the lookup stays a join, which is then the right plan anyway.
-#}

{#-
    The values of the first column of `query`, or none when it returns more than `limit`
    (var lookup_key_limit) rows, on DuckDB while executing (none elsewhere: PostgreSQL
    looks keys up by index).
-#}
{% macro small_key_list(query, limit=var('lookup_key_limit')) %}
    {{ return(adapter.dispatch('small_key_list')(query, limit)) }}
{% endmacro %}

{% macro default__small_key_list(query, limit) %}
    {{ return(none) }}
{% endmacro %}

{% macro duckdb__small_key_list(query, limit) %}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set values = run_query(
        'select * from (' ~ query ~ ') as keys limit ' ~ (limit + 1)
    ).columns[0].values() | list -%}
    {{ return(values if values | length <= limit else none) }}
{% endmacro %}

{#- `column in (...)` for a list of literal values (numbers or strings); false when empty.
    Rendered by filters, not a loop per value: a batch's key lists hold thousands of values,
    and a Jinja loop over them cost tens of milliseconds of compile time per run. -#}
{% macro literal_in(column, values) -%}
    {%- if values | length == 0 -%}
        1 = 0
    {%- elif values | reject('number') | list | length == 0 -%}
        {#- agate reads numbers as Decimal: integral ones print as integers, so the filter
            compares with the key column's own type. -#}
        {%- set integers = values | map('int') | list -%}
        {{ column }} in ({{ (integers if integers == values else values) | join(', ') }})
    {%- else -%}
        {{ column }} in ('{{ values | map('string') | map('replace', "'", "''") | join("', '") }}')
    {%- endif -%}
{%- endmacro %}

{#-
    The rows of `relation` whose `key_columns` match a row of `keys` (a small CTE of keys;
    none: every row, as a full refresh reads). With `key_values` (one key column; from
    small_key_list) a literal filter, otherwise a lateral lookup per key.
    `carry` ({alias: column}): columns of `keys` returned beside each matched row, so the
    caller need not join the lookup back to its keys (on PostgreSQL, such a join of two
    lookups the planner cannot size became a nested loop of one over the other).
-#}
{% macro rows_for_keys(relation, keys, key_columns, key_values=none, carry={}) -%}
    {%- set key_columns = [key_columns] if key_columns is string else key_columns -%}
    {%- set carried -%}
        {%- for alias, column in carry.items() -%}
        , {{ keys }}.{{ column }} as {{ alias }}
        {%- endfor -%}
    {%- endset -%}
    {%- if keys is none -%}
    select * from {{ relation }}
    {%- elif key_values is not none and key_columns | length == 1 -%}
    select candidate.*{{ carried }}
    from {{ relation }} as candidate
    {%- if carry %}
    inner join {{ keys }} on candidate.{{ key_columns[0] }} = {{ keys }}.{{ key_columns[0] }}
    {%- endif %}
    where {{ literal_in('candidate.' ~ key_columns[0], key_values) }}
    {%- else -%}
    select matched.*{{ carried }}
    from {{ keys }}
    cross join lateral (
        select candidate.*
        from {{ relation }} as candidate
        where
            {%- for column in key_columns %}
            candidate.{{ column }} = {{ keys }}.{{ column }}{{ " and" if not loop.last }}
            {%- endfor %}
        {{- lateral_fence() }}
    ) as matched
    {%- endif -%}
{%- endmacro %}

{#-
    The rows of `child` for the keys (as rows_for_keys), each with `parent_columns`
    ({alias: column}) of its row in `parent`, both keyed by `key_column` (left join: a child
    whose parent is not loaded keeps nulls). On PostgreSQL one lateral per key looks up the
    children and their parent together: two separate lookups joined afterwards were
    nested-looped against each other (166 ms -> 11 ms for 1,580 issues' comments,
    benchmarks/dbt_build.py). Elsewhere each side is filtered first, then joined.
-#}
{% macro rows_with_parent_for_keys(child, parent, key_column, parent_columns, keys,
        key_values=none) -%}
    {%- set parent_select -%}
        {%- for alias, column in parent_columns.items() -%}
        parent.{{ column }} as {{ alias }}{{ ", " if not loop.last }}
        {%- endfor -%}
    {%- endset -%}
    {%- if keys is not none and key_values is none -%}
    {{ rows_for_keys(
        '(select child.*, ' ~ parent_select ~ ' from ' ~ child ~ ' as child left join '
        ~ parent ~ ' as parent on child.' ~ key_column ~ ' = parent.' ~ key_column ~ ')',
        keys, key_column) }}
    {%- else -%}
    select child.*, {{ parent_select }}
    from ({{ rows_for_keys(child, keys, key_column, key_values) }}) as child
    left join ({{ rows_for_keys(parent, keys, key_column, key_values) }}) as parent
        on child.{{ key_column }} = parent.{{ key_column }}
    {%- endif -%}
{%- endmacro %}

{#- PostgreSQL: `offset 0` keeps the planner from flattening a lateral lookup back into a
    join that hashes the whole relation (see the top of this file). Nothing elsewhere. -#}
{% macro lateral_fence() -%}
    {{ return(adapter.dispatch('lateral_fence')()) }}
{%- endmacro %}

{% macro default__lateral_fence() -%}
{%- endmacro %}

{% macro postgres__lateral_fence() %}
        offset 0
{%- endmacro %}
