"""The dock widgets around the canvas: palette, inspector, levers, history, results."""
