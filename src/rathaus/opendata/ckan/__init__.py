"""The CKAN Action API (/api/3/action/) for harvesters and the ckanapi client."""
