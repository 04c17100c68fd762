"""Independent numerics (NumPy, SciPy, mpmath; never imports ``theory``): explicit d-dimensional
constructions, high-precision integration, network training and Monte-Carlo with standard errors."""
