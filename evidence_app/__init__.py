"""Evidence organiser: a private, offline log of stalking and harassment evidence."""

# The one place the version is set: pyproject.toml reads it (dynamic version), and the
# About box, `evidence-app --version`, the report cover, the AppStream metainfo (checked by
# tests/test_resources.py) and the bundle name (packaging/) all come from here.
__version__ = "0.1.0"
APP_NAME = "Evidence Organiser"
APP_ID = "evidence-organiser"
# The reverse-DNS id of the desktop entry, AppStream metainfo and icon (resources/).
DESKTOP_ID = "org.evidenceorganiser.EvidenceOrganiser"
