"""Evidence organiser: a private, offline log of stalking and harassment evidence."""

__version__ = "0.1.0"
APP_NAME = "Evidence Organiser"
APP_ID = "evidence-organiser"
