{#-
    Who contributed to each repository of each active workspace over the last 7, 30, 90
    and 365 days, one row per workspace, repository, range and contributor, ranked within
    the repository. Per workspace because the retention window is the workspace's.
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug', 'time_range']}]),
    )
}}

{{ contributors_by_range(per_repository=true) }}
