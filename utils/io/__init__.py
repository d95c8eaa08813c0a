"""Layer 2: read, normalise, match and validate the files a city brings. Knows no store."""
