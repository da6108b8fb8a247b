"""Groups: council teams, community groups, voluntary organisations and others; members and leads."""
