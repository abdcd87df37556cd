"""cygeo: spatial analysis of Sichuan–Chongqing (川渝) cooperation.

Geocode and geoparse the places named in Chinese texts, join them to cited cooperation
facts, analyse them and draw maps that open offline. Every geometry is WGS-84 (EPSG:4326).
Heavy optional libraries (folium, matplotlib, networkx) load only when a function needs them.
"""

import importlib.metadata

from cygeo._data import clear_caches
from cygeo.analysis import corpus_links
from cygeo.cooperation import (
    cooperation_links,
    corridors,
    county_intensity,
    entities,
    extract_facts,
    facts,
    hubs,
    join_attributes,
    joint_meetings,
    twin_parks,
)
from cygeo.documents import read_document
from cygeo.errors import (
    ArgumentTypeError,
    CygeoError,
    CygeoWarning,
    InputFileError,
    InputNotFoundError,
    InvalidArgumentError,
    MissingExtraError,
    PlaceNotFoundError,
    StoreError,
    TextDecodeError,
    UnreadableDocumentError,
    UserDataError,
)
from cygeo.gazetteer import Gazetteer, candidates, counties, default_gazetteer, geocode, places
from cygeo.geoparser import ParsedText, distinct_places, geoparse, geoparse_many, parse, parse_many
from cygeo.maps import atlas, map_article, map_corpus_links, plot_atlas, save
from cygeo.userdata import read_places

__all__ = [
    "ArgumentTypeError", "CygeoError", "CygeoWarning", "InputFileError", "InputNotFoundError", "InvalidArgumentError", "MissingExtraError",
    "StoreError", "TextDecodeError", "UnreadableDocumentError",
    "PlaceNotFoundError", "Gazetteer", "ParsedText", "atlas", "candidates", "clear_caches", "default_gazetteer",
    "parse", "parse_many", "cooperation_links", "corridors", "counties", "county_intensity",
    "distinct_places", "entities", "extract_facts", "facts", "geocode", "geoparse", "geoparse_many", "hubs",
    "join_attributes", "corpus_links", "joint_meetings", "map_article", "map_corpus_links", "places", "plot_atlas",
    "read_document", "read_places", "save", "twin_parks", "UserDataError",
]
__version__ = importlib.metadata.version("cygeo")
