{#-
    The per-repository fetch flags of workspaces.yml, in one place for every model that
    carries them (control.workspace_repositories has a `fetch_<flag>` column for each;
    the Python side is loaders/workspaces/config.py FETCH_FLAGS).
-#}
{% macro fetch_flags() %}
    {{ return([
        'issues', 'pull_requests', 'reviews', 'comments', 'commits',
        'events', 'stars', 'forks', 'releases', 'discussions'
    ]) }}
{% endmacro %}
