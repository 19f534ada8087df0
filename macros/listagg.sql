{#-
    dbt's listagg on Spark ignores its order_by_clause (dbt-spark warns and concatenates in
    whatever order collect_list met the rows), so marts that list labels or repositories
    in order (workspace_open_issues, contributor_stats) came out in another order than on
    DuckDB and PostgreSQL. This override, found before the adapter's because it lives in the
    root project, sorts by the one ascending key the models pass ('order by <expression>').
    Like string_agg it skips null values and gives null when there are none.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set collected -%}
        {%- if order_by_clause -%}
            {%- set key = order_by_clause | trim -%}
            {%- if not key.lower().startswith('order by ') or ',' in key
                or key.lower().endswith(' desc') -%}
                {{ exceptions.raise_compiler_error(
                    "listagg on Spark sorts by one ascending expression, not '"
                    ~ order_by_clause ~ "'") }}
            {%- endif -%}
            transform(
                array_sort(collect_list(struct({{ key[9:] }} as sort_key, {{ measure }} as item))),
                entry -> entry.item
            )
        {%- else -%}
            collect_list({{ measure }})
        {%- endif -%}
    {%- endset -%}
    case when count({{ measure }}) > 0 then
        array_join(
            {{ "slice(" ~ collected ~ ", 1, " ~ limit_num ~ ")" if limit_num else collected }},
            {{ delimiter_text }}
        )
    end
{%- endmacro %}
