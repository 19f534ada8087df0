-- The product promise: a repository added more than 24 hours ago whose workspace fetches
-- issues has had a successful issues sync. Fails with every repository that has not.
select
    full_name,
    first_added_at,
    issues_last_success_at
from {{ ref('repository_freshness') }}
where is_issues_sync_overdue
