"""The simulation: one replication of one jobcenter team (SimPy)."""
