{#-
    The languages of each active workspace's repositories, as the workspace page's language
    bar shows them: per language, the bytes over the workspace's repositories and their
    share of all the bytes of those repositories (GitHub's per-repository totalSize summed,
    so the shares of a workspace add up to 1), largest first. Current state, not a range:
    GitHub reports sizes as they are now (the latest metadata load of each repository).
-#}
{{
    config(
        tags=['hourly'],
        indexes=postgres_indexes([{'columns': ['workspace_slug']}]),
    )
}}

with

repository_state as (

    select * from {{ ref('workspace_repository_state') }}

),

languages as (

    select * from {{ ref('stg_github__repository_languages') }}

),

repository_totals as (

    select
        repository_id,
        -- Every row of a repository carries the same total; the sum of sizes stands in
        -- for a row that lacks it.
        coalesce(max(total_size_bytes), sum(size_bytes)) as total_size_bytes
    from languages
    group by repository_id

),

workspace_totals as (

    select
        repository_state.workspace_slug,
        sum(repository_totals.total_size_bytes) as workspace_bytes
    from repository_state
    inner join repository_totals
        on repository_state.repository_id = repository_totals.repository_id
    group by repository_state.workspace_slug

),

summed as (

    select
        repository_state.workspace_slug,
        languages.language_name,
        max(languages.language_color) as language_color,
        sum(languages.size_bytes) as size_bytes,
        count(*) as repositories_count
    from repository_state
    inner join languages
        on repository_state.repository_id = languages.repository_id
    group by repository_state.workspace_slug, languages.language_name

),

final as (

    select
        summed.workspace_slug,
        summed.language_name,
        summed.language_color,
        cast(summed.size_bytes as bigint) as size_bytes,
        cast(summed.repositories_count as bigint) as repositories_count,
        cast(workspace_totals.workspace_bytes as bigint) as workspace_bytes,
        cast(summed.size_bytes as {{ type_double() }})
        / nullif(workspace_totals.workspace_bytes, 0) as share,
        row_number() over (
            partition by summed.workspace_slug
            order by summed.size_bytes desc, summed.language_name asc
        ) as language_rank
    from summed
    inner join workspace_totals
        on summed.workspace_slug = workspace_totals.workspace_slug

)

select * from final
