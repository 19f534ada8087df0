{#-
    The exact cosine similarity of each candidate pair (int_similar_item_candidates), kept
    when at least `similar_items_min_similarity` (default 0.25). A table of its own: its
    row count is known to the planner of similar_items' joins (on PostgreSQL a guessed
    selectivity of the threshold led to nested loops over the item names).
-#}
{{
    config(
        materialized='table',
        post_hook=["{{ analyze_if_stale(this) }}"],
    )
}}

with

candidates as (

    select * from {{ ref('int_similar_item_candidates') }}

),

issue_vectors as (

    select * from {{ ref('int_embedding_vectors') }}
    where item_type = 'issue'

),

similar_vectors as (

    select * from {{ ref('int_embedding_vectors') }}

),

scored as (

    select
        candidates.issue_id,
        candidates.issue_repository_id,
        candidates.similar_item_type,
        candidates.similar_item_id,
        candidates.similar_repository_id,
        issue_vectors.model,
        {{ embedding_cosine(
            'issue_vectors.vector', 'similar_vectors.vector',
            'issue_vectors.vector_norm', 'similar_vectors.vector_norm'
        ) }} as cosine_similarity
    from candidates
    inner join issue_vectors
        on candidates.issue_id = issue_vectors.item_id
    inner join similar_vectors
        on
            candidates.similar_item_type = similar_vectors.item_type
            and candidates.similar_item_id = similar_vectors.item_id

),

final as (

    select * from scored
    where cosine_similarity >= {{ var('similar_items_min_similarity', 0.25) }}

)

select * from final
