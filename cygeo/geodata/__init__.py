"""Bundled data of cygeo (installed as ``cygeo.geodata``); rebuilt by ``python -m cygeo.geodata.build``."""
