"""Qt-free domain core: everything a CLI, the GUI or a test can drive."""
