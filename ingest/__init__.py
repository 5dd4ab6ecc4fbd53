"""unkg ingest: UN resolution texts -> normalized text -> parsed document -> extraction -> RDF -> store."""

__version__ = "0.1.0"
PIPELINE_VERSION = __version__
