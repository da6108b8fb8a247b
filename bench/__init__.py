"""`make bench`: the load benchmark of issue 7 (see bench/README.md). Not part of the installed app."""
