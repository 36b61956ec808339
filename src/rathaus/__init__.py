"""Rathaus — open-source digital town hall for German municipalities."""
