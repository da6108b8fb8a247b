"""People: public profile pages (name, bio, organisation, public ideas and comments, groups)."""
