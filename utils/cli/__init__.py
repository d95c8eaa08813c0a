"""Command-line tools beside the UI: each module here with `HELP`, `add_arguments` and `run` is a
subcommand of `python -m utils`. Same layers as the pages, no Streamlit."""
