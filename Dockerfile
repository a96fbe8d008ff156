# Production-like image: Debian 12 with GDAL/GEOS/PROJ for GeoDjango, the portal, gunicorn.
FROM debian:bookworm-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=mss_portal.settings.production
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv binutils libproj-dev gdal-bin \
       libsqlite3-mod-spatialite make gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt requirements-dev.txt ./
RUN python3 -m venv /app/.venv && /app/.venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs a key to import settings; it is not used for anything else here. The pages'
# translations are compiled here too (their .mo files are not in git).
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost /app/.venv/bin/python manage.py collectstatic --no-input \
    && DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost /app/.venv/bin/python manage.py compilemessages \
       -v0 --ignore '.*' --ignore staticfiles
RUN useradd --system --home /app portal && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["scripts/serve-web"]
