from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("volunteer/", views.dashboard, name="dashboard"),
    path("volunteer/sign-up/", views.sign_up, name="sign_up"),
    path("volunteer/sign-up/sent/", views.sign_up_sent, name="sign_up_sent"),
    path("volunteer/verify/<str:token>/", views.verify_email, name="verify"),
    path("volunteer/sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("volunteer/sign-out/", auth_views.LogoutView.as_view(next_page="/"), name="sign_out"),
    path("volunteer/terms/", views.terms, name="terms"),
    path("volunteer/offers/<int:pk>/accept/", views.accept, name="accept"),
    path("volunteer/offers/<int:pk>/decline/", views.decline, name="decline"),
    path("volunteer/tasks/<int:pk>/hand-back/", views.hand_back, name="hand_back"),
    path("volunteer/tasks/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("volunteer/tasks/<int:pk>/log/", views.log_hours, name="log_hours"),
    path("volunteer/concern/", views.raise_concern, name="concern"),
    path("ask-for-help/", views.ask_for_help, name="ask_for_help"),
    path("ask-for-help/sent/<str:token>/", views.help_sent, name="help_sent"),
    path("ask-for-help/withdraw/<str:token>/", views.withdraw, name="withdraw"),
]
