"""Ideas, their supports and their official status trail."""
