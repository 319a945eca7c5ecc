"""Research across reports: the catalogue, one question asked of many reports, an authority's
history, and what users say of answers."""
