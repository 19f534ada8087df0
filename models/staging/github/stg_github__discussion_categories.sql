with

source as (

    select * from {{ source_or_empty('github', 'discussion_categories') }}

),

deduplicated as (

    select
        *,
        {{ version_rank(['id']) }} as version_rank
    from source

),

renamed as (

    select
        id as category_id,
        repository_id,
        name as category_name,
        slug as category_slug,
        coalesce(is_answerable, false) as is_answerable,
        emoji,
        _dlt_load_id as dlt_load_id
    from deduplicated
    where version_rank = 1

)

select * from renamed
