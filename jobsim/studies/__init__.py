"""One module per experiment: its grid, analysis, figures and finding titles."""
