"""GraphQL at `/graphql`: static checks and cost (`cost`), resolvers (`nodes`), and the
prepare/execute pair the request core calls (`api`)."""

from .api import GraphQLApi, Prepared

__all__ = ["GraphQLApi", "Prepared"]
