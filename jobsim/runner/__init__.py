"""Running the model: one run, replications and sweeps, the store, manifests."""
