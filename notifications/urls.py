from django.urls import path

from . import views

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notifications"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="notification-read"),
    path("read/", views.MarkAllReadView.as_view(), name="notifications-read"),
    path("preferences/", views.PreferencesView.as_view(), name="notification-preferences"),
    path("watches/", views.WatchAddView.as_view(), name="watch-add"),
    path("watches/<int:pk>/delete/", views.WatchRemoveView.as_view(), name="watch-remove"),
]
