"""The HTML pages: the public catalogue and dataset pages (/daten/) and the office
pages where staff upload, confirm and publish (/verwaltung/offene-daten/)."""
