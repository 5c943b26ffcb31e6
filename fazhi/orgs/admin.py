"""Django's admin site, for system administrators only. Saves go through the model layer, so the audit trail's
signal handlers record them like any other write (requests are atomic)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Alias, Region, RoleAssignment, Unit, UnitGroup, User


class SystemAdminOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


@admin.register(Region)
class RegionAdmin(SystemAdminOnly):
    list_display = ["name", "level", "parent", "code"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    readonly_fields = ["path"]


@admin.register(Unit)
class UnitAdmin(SystemAdminOnly):
    list_display = ["name", "region", "kind", "is_enforcement_body", "is_decision_body", "is_active"]
    list_filter = ["kind", "is_enforcement_body", "is_decision_body", "is_active"]
    search_fields = ["name"]
    list_select_related = ["region"]


@admin.register(UnitGroup)
class UnitGroupAdmin(SystemAdminOnly):
    list_display = ["name", "region", "include_subregions"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(Alias)
class AliasAdmin(SystemAdminOnly):
    list_display = ["name", "unit", "group", "valid_from", "valid_to", "region"]
    search_fields = ["name", "unit__name", "group__name"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["region", "unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "phone", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "full_name", "phone", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")}),
    )
    inlines = [RoleInline]
