{#-
    For each open issue of each active workspace, the issues, pull requests and
    discussions of the workspace's repositories that read most alike: the top
    `similar_items_top_k` per item type by cosine similarity of their embeddings, at least
    `similar_items_min_similarity` (docs/embeddings.md). Only pairs of repositories some
    workspace tracks together are compared, and only vectors of one model
    (int_embedding_components). Rebuilt whole on each build.
-#}
with

components as (

    select * from {{ ref('int_embedding_components') }}

),

items as (

    select * from {{ ref('int_embedding_items') }}

),

windows as (

    select * from {{ ref('int_workspace_repository_windows') }}

),

workspaces as (

    select workspace_slug from {{ ref('stg_control__workspaces') }}
    where is_active

),

repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

workspace_repositories as (

    select distinct
        windows.workspace_slug,
        windows.repository_id
    from windows
    inner join workspaces
        on windows.workspace_slug = workspaces.workspace_slug

),

-- Repositories some workspace tracks together: the only pairs worth comparing.
repository_pairs as (

    select distinct
        issue_side.repository_id as issue_repository_id,
        similar_side.repository_id as similar_repository_id
    from workspace_repositories as issue_side
    inner join workspace_repositories as similar_side
        on issue_side.workspace_slug = similar_side.workspace_slug

),

open_issue_components as (

    select components.*
    from components
    inner join items
        on
            components.item_type = items.item_type
            and components.item_id = items.item_id
    where items.item_type = 'issue' and items.item_state = 'open'

),

norms as (

    select
        item_type,
        item_id,
        sqrt(sum(component * component)) as norm
    from components
    group by item_type, item_id

),

dot_products as (

    select
        issue_side.item_id as issue_id,
        issue_side.repository_id as issue_repository_id,
        similar_side.item_type as similar_item_type,
        similar_side.item_id as similar_item_id,
        similar_side.repository_id as similar_repository_id,
        issue_side.model,
        sum(issue_side.component * similar_side.component) as dot_product
    from open_issue_components as issue_side
    inner join components as similar_side
        on issue_side.dimension_index = similar_side.dimension_index
    inner join repository_pairs
        on
            issue_side.repository_id = repository_pairs.issue_repository_id
            and similar_side.repository_id = repository_pairs.similar_repository_id
    where not (similar_side.item_type = 'issue' and similar_side.item_id = issue_side.item_id)
    group by
        issue_side.item_id,
        issue_side.repository_id,
        similar_side.item_type,
        similar_side.item_id,
        similar_side.repository_id,
        issue_side.model

),

similarities as (

    select
        dot_products.*,
        dot_products.dot_product / (issue_norms.norm * similar_norms.norm) as cosine_similarity
    from dot_products
    inner join norms as issue_norms
        on
            issue_norms.item_type = 'issue'
            and dot_products.issue_id = issue_norms.item_id
    inner join norms as similar_norms
        on
            dot_products.similar_item_type = similar_norms.item_type
            and dot_products.similar_item_id = similar_norms.item_id
    where issue_norms.norm > 0 and similar_norms.norm > 0

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
    where similarities.cosine_similarity >= {{ var('similar_items_min_similarity', 0.25) }}

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
    inner join items as issues
        on
            issues.item_type = 'issue'
            and ranked.issue_id = issues.item_id
    inner join items as similar_items
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
