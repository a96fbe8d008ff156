from rest_framework.routers import SimpleRouter

from .views import PlaceCandidateViewSet, PostViewSet, UpdateViewSet

router = SimpleRouter()
router.register("updates", UpdateViewSet, basename="update")
router.register("posts", PostViewSet, basename="post")
router.register("place-candidates", PlaceCandidateViewSet, basename="place-candidate")

urlpatterns = router.urls
