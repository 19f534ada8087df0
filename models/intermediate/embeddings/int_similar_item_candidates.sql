{#-
    Which pairs similar_items compares exactly. Comparing every open issue with every
    item of its workspaces grows with issues x items, so candidates are pre-selected in
    two cheap steps (loaders/embeddings/lsh.py, docs/embeddings.md):
    1. items sharing at least one LSH band key with an open issue, in a repository some
       workspace tracks together with the issue's (an equality join on workspace and
       key, no pair scan);
    2. of those, the pairs whose LSH signatures (320 bits) differ in few enough bits that
       their cosine may reach `similar_items_min_similarity` (the angle estimate
       θ ≈ π · bits / 320, with three standard deviations of margin: a pair truly above
       the threshold is dropped about once in 700), and per open issue and item type
       the `similar_items_candidates` (default 30) that differ in the fewest bits.
    Ties on the distance keep the lower item id, so the selection is deterministic.
-#}
{{
    config(
        materialized='table',
        post_hook=["{{ analyze_if_stale(this) }}"],
    )
}}

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

-- Repositories of active workspaces (the windows hold only those, one row per pair).
workspace_repositories as (

    select
        workspace_slug,
        repository_id
    from {{ ref('int_workspace_repository_windows') }}

),

-- Band keys per workspace: candidates are joined on (workspace, key), so items of
-- other workspaces never meet in the join (joining on the key alone and filtering on the
-- repositories afterwards made ten times the rows with ten workspaces).
workspace_bands as (

    select
        workspace_repositories.workspace_slug,
        bands.item_type,
        bands.item_id,
        bands.repository_id,
        bands.band_key
    from bands
    inner join workspace_repositories
        on bands.repository_id = workspace_repositories.repository_id

),

open_issue_bands as (

    select workspace_bands.*
    from workspace_bands
    inner join items
        on
            workspace_bands.item_type = items.item_type
            and workspace_bands.item_id = items.item_id
    where items.item_type = 'issue' and items.item_state = 'open'

),

band_matches as (

    select distinct
        issue_side.item_id as issue_id,
        issue_side.repository_id as issue_repository_id,
        similar_side.item_type as similar_item_type,
        similar_side.item_id as similar_item_id,
        similar_side.repository_id as similar_repository_id
    from open_issue_bands as issue_side
    inner join workspace_bands as similar_side
        on
            issue_side.workspace_slug = similar_side.workspace_slug
            and issue_side.band_key = similar_side.band_key
    where not (similar_side.item_type = 'issue' and similar_side.item_id = issue_side.item_id)

),

distances as (

    select
        band_matches.*,
        {{ embedding_signature_distance(
            'issue_vectors.lsh_signature', 'similar_vectors.lsh_signature'
        ) }} as signature_distance
    from band_matches
    inner join vectors as issue_vectors
        on
            issue_vectors.item_type = 'issue'
            and band_matches.issue_id = issue_vectors.item_id
    inner join vectors as similar_vectors
        on
            band_matches.similar_item_type = similar_vectors.item_type
            and band_matches.similar_item_id = similar_vectors.item_id

),

-- The most differing bits a pair above the threshold shows, but for 3 standard deviations:
-- bits differ independently with probability p = acos(threshold) / pi.
max_distance as (

    select
        320 * threshold_bits.p
        + 3 * sqrt(320 * threshold_bits.p * (1 - threshold_bits.p)) as signature_distance
    from (
        select acos({{ var('similar_items_min_similarity', 0.25) }}) / pi() as p
    ) as threshold_bits

),

ranked as (

    select
        distances.*,
        row_number() over (
            partition by distances.issue_id, distances.similar_item_type
            order by distances.signature_distance asc, distances.similar_item_id asc
        ) as candidate_rank
    from distances
    inner join max_distance
        on distances.signature_distance <= max_distance.signature_distance

),

final as (

    select
        issue_id,
        issue_repository_id,
        similar_item_type,
        similar_item_id,
        similar_repository_id,
        signature_distance
    from ranked
    where candidate_rank <= {{ var('similar_items_candidates', 30) }}

)

select * from final
