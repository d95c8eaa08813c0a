"""The embedded Kota Pasuruan sample: `python -m utils.sample` regenerates data/."""
from utils.sample.build import *  # noqa: F403
