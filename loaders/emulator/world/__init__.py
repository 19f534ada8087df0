"""The generated world: entities, their timelines, and views as of the virtual clock."""
