{#-
    Rows keyed by (repository_id, activity_date) where every repository's days form one
    unbroken run: the date spine (int_repository_days) and daily_activity_metrics, which
    fills it. Comparing two such relations then needs only each repository's first and
    last day, not a join of every day with every day. On PostgreSQL these macros turn that
    into index probes on the (repository_id, activity_date) unique indexes.
-#}

{#-
    The rows of `days` outside the first..last day `range_of` holds for their repository
    (all of a repository's rows when `range_of` has none of it). PostgreSQL: per repository
    of `repositories` (a relation or subquery with repository_id), two index range scans.
    Elsewhere one pass over each relation: DuckDB scans fast and has no point lookups, and
    `repositories` is not needed.
-#}
{% macro days_outside_range(days, range_of, repositories) -%}
    {{ return(adapter.dispatch('days_outside_range')(days, range_of, repositories)) }}
{%- endmacro %}

{% macro postgres__days_outside_range(days, range_of, repositories) -%}
    select outside_range.*
    from {{ repositories }} as repositories
    cross join lateral (
        select
            min(range_days.activity_date) as first_date,
            max(range_days.activity_date) as last_date
        from {{ range_of }} as range_days
        where range_days.repository_id = repositories.repository_id
    ) as repository_range
    cross join lateral (
        select candidate.*
        from {{ days }} as candidate
        where
            candidate.repository_id = repositories.repository_id
            and candidate.activity_date
            < coalesce(repository_range.first_date, cast('9999-12-31' as date))
        union all
        select candidate.*
        from {{ days }} as candidate
        where
            candidate.repository_id = repositories.repository_id
            and candidate.activity_date > repository_range.last_date
    ) as outside_range
{%- endmacro %}

{% macro default__days_outside_range(days, range_of, repositories) -%}
    select candidate.*
    from {{ days }} as candidate
    left join {{ repository_day_bounds(range_of) }} as repository_range
        on candidate.repository_id = repository_range.repository_id
    where
        repository_range.repository_id is null
        or candidate.activity_date < repository_range.first_date
        or candidate.activity_date > repository_range.last_date
{%- endmacro %}

{#-
    The distinct repository_id values of `relation`, as a subquery: a loose index scan (a
    recursive walk, one probe of PostgreSQL's (repository_id, ...) index per repository),
    not a read of every row.
-#}
{% macro stored_repository_ids(relation) -%}
    (
        with recursive stored_repositories as (
            select min(repository_id) as repository_id
            from {{ relation }}
            union all
            select (
                select min(stored.repository_id)
                from {{ relation }} as stored
                where stored.repository_id > previous.repository_id
            )
            from stored_repositories as previous
            where previous.repository_id is not null
        )

        select repository_id
        from stored_repositories
        where repository_id is not null
    )
{%- endmacro %}

{#- Each repository's first and last day in `relation`, as a subquery (one pass). -#}
{% macro repository_day_bounds(relation) -%}
    (
        select
            repository_id,
            min(activity_date) as first_date,
            max(activity_date) as last_date
        from {{ relation }}
        group by repository_id
    )
{%- endmacro %}
