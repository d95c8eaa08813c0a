"""Layer 1: the national method (Permen PUPR 14/2018) as data and pure functions over DataFrames."""
