"""`warehouse run` orchestration: the run lock, the plan, and the pipeline steps."""
