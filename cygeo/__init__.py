"""cygeo: spatial analysis of Sichuan–Chongqing (川渝) cooperation.

Geocode and geoparse the places named in Chinese texts, join them to cooperation facts,
analyse them and draw maps that open offline. Every geometry is WGS-84 (EPSG:4326).
"""

from cygeo.gazetteer import PlaceNotFoundError, candidates, counties, geocode, places
from cygeo.geoparse import distinct_places, geoparse

__all__ = ["PlaceNotFoundError", "candidates", "counties", "distinct_places", "geocode", "geoparse", "places"]
__version__ = "0.1.0"
