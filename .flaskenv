# Read by the `genius` command (python-dotenv) when run inside a checkout.
# Real environment variables win. Production servers run gunicorn, which does
# not read this file, so they default to GENIUS_ENV=production.
GENIUS_ENV=development
