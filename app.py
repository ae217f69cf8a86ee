"""`python app.py`: load settings, build the services, serve the Peer Coach page."""

from assistant.cli import serve_app

if __name__ == "__main__":
    serve_app()
