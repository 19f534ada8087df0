{#-
    For each open issue of each active workspace, the issues, pull requests and
    discussions of the workspace's repositories that read most alike: the top
    `similar_items_top_k` per item type by cosine similarity of their embeddings, at least
    `similar_items_min_similarity` (docs/embeddings.md). Not every pair is compared: only
    the candidates int_similar_item_candidates pre-selects (LSH) get an exact cosine
    (int_similar_item_scores). Rebuilt whole on each build.
-#}
with

similarities as (

    select * from {{ ref('int_similar_item_scores') }}

),

-- Two imports of one model, each read once: PostgreSQL inlines them (a CTE read twice
-- is materialised without statistics, and was joined in a nested loop).
issue_items as (

    select * from {{ ref('int_embedding_items') }}
    where item_type = 'issue'

),

named_items as (

    select * from {{ ref('int_embedding_items') }}

),

-- Repositories of active workspaces (the windows hold only those, one row per pair).
workspace_repositories as (

    select
        workspace_slug,
        repository_id
    from {{ ref('int_workspace_repository_windows') }}

),

repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

per_workspace as (

    select
        issue_workspaces.workspace_slug,
        similarities.*
    from similarities
    inner join workspace_repositories as issue_workspaces
        on similarities.issue_repository_id = issue_workspaces.repository_id
    inner join workspace_repositories as similar_workspaces
        on
            issue_workspaces.workspace_slug = similar_workspaces.workspace_slug
            and similarities.similar_repository_id = similar_workspaces.repository_id

),

ranked as (

    select
        per_workspace.*,
        row_number() over (
            partition by
                per_workspace.workspace_slug,
                per_workspace.issue_id,
                per_workspace.similar_item_type
            order by per_workspace.cosine_similarity desc, per_workspace.similar_item_id asc
        ) as similarity_rank
    from per_workspace

),

final as (

    select
        ranked.workspace_slug,
        ranked.issue_id,
        issue_repositories.full_name as issue_repository,
        issues.item_number as issue_number,
        issues.title as issue_title,
        ranked.similar_item_type,
        ranked.similarity_rank,
        ranked.similar_item_id,
        similar_repositories.full_name as similar_repository,
        similar_items.item_number as similar_number,
        similar_items.title as similar_title,
        similar_items.item_state as similar_state,
        ranked.cosine_similarity,
        ranked.model
    from ranked
    inner join issue_items as issues
        on ranked.issue_id = issues.item_id
    inner join named_items as similar_items
        on
            ranked.similar_item_type = similar_items.item_type
            and ranked.similar_item_id = similar_items.item_id
    left join repositories as issue_repositories
        on ranked.issue_repository_id = issue_repositories.repository_id
    left join repositories as similar_repositories
        on ranked.similar_repository_id = similar_repositories.repository_id
    where ranked.similarity_rank <= {{ var('similar_items_top_k', 5) }}

)

select * from final
