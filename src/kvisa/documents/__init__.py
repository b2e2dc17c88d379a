"""Travel documents: ICAO 9303 MRZs, the Chinese permanent-resident ID number,
ICAO Visible Digital Seals and the e-visa PDF.  Pure functions, no Django."""
