"""HTTP face of the detector: JSON scoring API (`/v1/...`) and a no-JS web page (`/`).

    from api.app import create_app
"""
