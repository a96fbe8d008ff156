from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: installs process-wide hardening once Django is ready."""

    name = "mss_portal"
    verbose_name = "MSS Operations Portal"

    def ready(self) -> None:
        from . import gdal_guard

        gdal_guard.install()
