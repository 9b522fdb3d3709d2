"""Speed measured as ratios against a baseline run in the same process (``python -m benchmarks``)."""
