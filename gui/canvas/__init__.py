"""The canvas: a scene that follows the document and the items that draw it.

Items never touch the model; the scene keeps a model-to-item dict and follows the
document's events (ARCHITECTURE.md, example 3).
"""
