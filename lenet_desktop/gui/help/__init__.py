"""The Help menu's windows: About, and the latest study report."""
