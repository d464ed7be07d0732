"""The ecosystem model: scenario document, files, simulation engine and experiments.

Pure Python with numpy, pandas, scipy, networkx and openpyxl; it never imports Qt.
"""
__version__ = "0.3.0"
