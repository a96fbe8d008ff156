from rest_framework.routers import SimpleRouter

from .views import HotspotViewSet

router = SimpleRouter()
router.register("hotspots", HotspotViewSet, basename="hotspot")

urlpatterns = router.urls
