"""The network view: who works with whom, built from the database in one pass, measured with networkx, cached."""
