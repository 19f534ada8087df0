{#-
    For each open issue of each active workspace, the issues, pull requests and
    discussions of the workspace's repositories that read most alike: the top
    `similar_items_top_k` per item type by cosine similarity of their embeddings, at least
    `similar_items_min_similarity` (docs/embeddings.md). Not every pair is compared: the
    candidates of an open issue are the items of repositories tracked together with its
    own that share at least one LSH band key with it (int_embedding_bands); only those get
    an exact cosine (macro embedding_cosine). Rebuilt whole on each build.
-#}
with

vectors as (

    select * from {{ ref('int_embedding_vectors') }}

),

bands as (

    select * from {{ ref('int_embedding_bands') }}

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

open_issue_bands as (

    select bands.*
    from bands
    inner join items
        on
            bands.item_type = items.item_type
            and bands.item_id = items.item_id
    where items.item_type = 'issue' and items.item_state = 'open'

),

-- Items sharing a band key with an open issue, in a repository tracked with its own, and
-- how many keys they share: more shared keys, more similar (lsh.py).
band_matches as (

    select
        issue_side.item_id as issue_id,
        issue_side.repository_id as issue_repository_id,
        similar_side.item_type as similar_item_type,
        similar_side.item_id as similar_item_id,
        similar_side.repository_id as similar_repository_id,
        count(*) as shared_band_keys
    from open_issue_bands as issue_side
    inner join bands as similar_side
        on issue_side.band_key = similar_side.band_key
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
        similar_side.repository_id

),

-- The exact comparison is capped: per open issue and item type, the candidates sharing
-- the most keys, so its cost grows with open issues, not with issues x items.
candidates as (

    select
        issue_id,
        issue_repository_id,
        similar_item_type,
        similar_item_id,
        similar_repository_id
    from (
        select
            band_matches.*,
            row_number() over (
                partition by band_matches.issue_id, band_matches.similar_item_type
                order by band_matches.shared_band_keys desc, band_matches.similar_item_id asc
            ) as candidate_rank
        from band_matches
    ) as ranked_matches
    where candidate_rank <= {{ var('similar_items_candidates', 50) }}

),

similarities as (

    select
        candidates.*,
        issue_vectors.model,
        {{ embedding_cosine(
            'issue_vectors.vector', 'similar_vectors.vector',
            'issue_vectors.vector_norm', 'similar_vectors.vector_norm'
        ) }} as cosine_similarity
    from candidates
    inner join vectors as issue_vectors
        on
            issue_vectors.item_type = 'issue'
            and candidates.issue_id = issue_vectors.item_id
    inner join vectors as similar_vectors
        on
            candidates.similar_item_type = similar_vectors.item_type
            and candidates.similar_item_id = similar_vectors.item_id

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
