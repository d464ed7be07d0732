"""The Explore window: sampled futures, scenario discovery, robustness, sensitivity."""
