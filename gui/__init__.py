"""The Qt desktop application. Only this package imports Qt; `model/` never does."""
