{#-
    Where each layer lives: marts in the profile's schema (`analytics`), staging in
    `<schema>_staging`, intermediate in `<schema>_intermediate` (`+schema` in
    dbt_project.yml). Written out, not left to dbt's default, because the Python side
    reads the intermediate tables by these exact names (WarehouseSettings.staging_schema /
    intermediate_schema): a change here must change them too.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
