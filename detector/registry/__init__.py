"""Model versions: where retrained models live, which one is served, and the gate a new one
must pass before it is (state.py, versions.py, compare.py, promote.py)."""
