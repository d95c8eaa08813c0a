"""Layer 4: figures over a Dataset: series, reductions, rankings, projections."""
