from django.contrib import admin

from .models import Document, DocumentFile


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 0


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("number", "doc_type", "issued_on", "urgency", "intake_due_on", "transferred_at")
    list_filter = ("tenant", "doc_type", "urgency")
    search_fields = ("number", "subject")
    inlines = [DocumentFileInline]
