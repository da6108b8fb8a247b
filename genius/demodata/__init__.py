"""Demo data at council scale: `genius demo --scale small|york|x10 --seed N` (see loader.py).

The small hand-written demo behind `make run` stays in genius/demo.py.
"""

from genius.demodata.loader import SCALES, DemoRefused, load_scale

__all__ = ["SCALES", "DemoRefused", "load_scale"]
