from rest_framework.routers import SimpleRouter

from .views import ContingentViewSet, ReportViewSet, TrainingViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("training-records", TrainingViewSet, basename="training-record")
router.register("contingents", ContingentViewSet, basename="contingent")

urlpatterns = router.urls
