-- The priority score is clamped to 0-100 whatever the tier or settings.
select
    workspace_slug,
    full_name,
    priority_score
from {{ ref('sync_queue') }}
where priority_score < 0 or priority_score > 100
