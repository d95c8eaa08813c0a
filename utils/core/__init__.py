"""Layer 0: the shared vocabulary (language catalogue, findings, escaping). Imports nothing of utils."""
