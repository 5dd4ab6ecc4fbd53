"""``python -m api`` runs the ``unkg`` command (handy when the console script is not on PATH)."""

from api.cli import app

app(prog_name="unkg")
