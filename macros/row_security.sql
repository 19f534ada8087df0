{#-
    Post-hook of every mart (dbt_project.yml): a rebuilt table (or a full refresh of an
    incremental one) gets its row-level security policy back, a rebuilt view its
    security_invoker. The policy itself lives in one database function,
    `<target schema>_access.secure_relation`, installed by `warehouse access apply`
    (loaders/access/policy_sql.py); until that has run on this warehouse there is nothing
    to restore and the hook does nothing. Engines without roles (DuckDB) get no SQL at all.
-#}
{% macro secure_for_members() -%}
    {{ return(adapter.dispatch('secure_for_members')()) }}
{%- endmacro %}

{% macro default__secure_for_members() -%}
{%- endmacro %}

{% macro postgres__secure_for_members() -%}
    {%- set function = adapter.quote(target.schema ~ '_access') ~ '.secure_relation' -%}
    {%- set relation = this.include(database=false) | string -%}
    do $access$
    begin
        if to_regprocedure('{{ function }}(regclass)') is not null then
            perform {{ function }}('{{ relation }}'::regclass);
        end if;
    end
    $access$
{%- endmacro %}
