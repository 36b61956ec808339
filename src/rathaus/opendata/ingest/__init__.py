"""Reading what staff upload: parsing CSV, JSON and GeoJSON, inferring column types,
and the privacy guard that spots personal-looking columns."""
