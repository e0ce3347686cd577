"""studylog: the daily study-log post of a Jekyll blog, from the terminal."""

__version__ = "0.1.0"
