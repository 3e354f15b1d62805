# Programme management for national and regional admins (the public class catalogue is registration's).
from sinergi.programs import admin_views

app_name = "programs"

urlpatterns = admin_views.urlpatterns
