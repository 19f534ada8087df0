"""REST API v3 subset: shapes (`serialize`) and routes (`routes`)."""
