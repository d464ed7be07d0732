"""Running the engine from the window: background workers, jobs and the run controller."""
