// SVG plotting for nmm reports.
