"""DCAT-AP.de 2.0 metadata (/catalog.*, /dataset/<name>.*) as an rdflib graph."""
