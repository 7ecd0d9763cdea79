"""Handwritten-digit recognition with scikit-learn: data, models, photo pipeline, figures.

This package never imports streamlit, so every piece can be used and tested on its own
(and from the command line: ``python -m digits_core``).
"""
