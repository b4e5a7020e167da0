"""Where digits come from: the Draw, Camera and Photo tabs, their views and capture workers."""
