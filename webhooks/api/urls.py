from rest_framework.routers import SimpleRouter

from .views import DeletedViewSet, WebhookSubscriptionViewSet

router = SimpleRouter()
router.register("deleted", DeletedViewSet, basename="deleted")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = router.urls
