"""Agreement checks between ``theory`` and ``numerics``, the tolerance-report plugin and the
report command (``python -m verify.report``)."""
