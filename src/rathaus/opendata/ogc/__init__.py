"""OGC API – Features, Part 1, under /ogc/: a collection per dataset with points."""
