"""Workbooks: the briefing export and importing networks from Excel or CSV."""
