{#-
    Actor normalisation shared by every staging model.
    Ghost users: GraphQL gives `author: null` (loaded as a null login); REST shows the
    placeholder login `ghost`. Both become null, so a ghost never counts as a contributor.
-#}
{% macro clean_login(column) -%}
    case when lower({{ column }}) = 'ghost' then null else {{ column }} end
{%- endmacro %}

{#- Bots: GitHub Apps carry the Bot type (loaded as *_is_bot); their logins end in "[bot]". -#}
{% macro is_bot(login_column, flag_column) -%}
    (coalesce({{ flag_column }}, false) or coalesce({{ login_column }} like '%[bot]', false))
{%- endmacro %}

{#-
    Latest version of each key wins: keep a row unless a newer load wrote the same key.
    dlt merges on the key already, so normally every key has one copy; a replayed load or a
    table written with another disposition may hold older ones. Written as an anti-join
    (not a window) so a filter on the load id, as incremental models apply, still reaches
    the table scan instead of waiting for a sort of the whole table.
    `versions_relation` is a second CTE over the same raw table: if the anti-join read
    `relation` again, PostgreSQL would materialize that CTE (it is referenced twice), and
    the incremental load-id filter would no longer reach the raw scan: every incremental
    run sorted and anti-joined the whole history of each table.
-#}
{% macro is_latest_version(relation, key_columns, versions_relation=none) -%}
    not exists (
        select 1
        from {{ versions_relation or relation }} as newer
        where
            {%- for column in key_columns %}
            newer.{{ column }} = {{ relation }}.{{ column }} and
            {%- endfor %}
            cast(newer._dlt_load_id as {{ type_double() }})
            > cast({{ relation }}._dlt_load_id as {{ type_double() }})
    )
{%- endmacro %}
