{#-
    Who contributed to each active workspace over the last 7, 30, 90 and 365 days, one row
    per workspace, range and contributor, ranked. Counted from the range's credited events
    (int_workspace_contributions_by_range), never summed from daily distincts.
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug', 'time_range']}]),
    )
}}

{{ contributors_by_range(per_repository=false) }}
