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
    Rank of each row among the copies of its key, newest load first (1 = keep).
    dlt merges on the key already, so normally every key has one copy; a replayed load or a
    table written with another disposition may hold older ones, and then the last write wins.
-#}
{% macro version_rank(key_columns, tiebreak=none) -%}
    row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by
            cast(_dlt_load_id as double precision) desc nulls last
            {%- if tiebreak %}, {{ tiebreak }}{% endif %}
    )
{%- endmacro %}
