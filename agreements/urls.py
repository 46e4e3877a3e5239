from django.urls import path

from . import version_views, views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("styrelsebeslut/<int:pk>/", views.board_decision, name="board_decision"),
    path("<slug:slug>/", views.agreement_detail, name="detail"),
    path("<slug:slug>/undertecknare/", views.signatory_list, name="signatories"),
    path("<slug:slug>/undertecknare.csv", views.signatories_csv, name="signatories_csv"),
    path("<slug:slug>/undertecknare-excel.csv", views.signatories_excel_csv, name="signatories_excel_csv"),
    path("<slug:slug>/undertecknare.xlsx", views.signatories_xlsx, name="signatories_xlsx"),
    path("<slug:slug>/undertecknare.json", views.signatories_json, name="signatories_json"),
    path("<slug:slug>/undertecknare-per-ar.csv", views.growth_csv, name="growth_csv"),
    path("<slug:slug>/underteckna/", views.sign, name="sign"),
    path("<slug:slug>/undertecknare/<int:pk>/aterkalla/", views.withdrawal_request, name="withdrawal_request"),
    path("<slug:slug>/versioner/", version_views.version_compare, name="versions"),
    path("<slug:slug>/versioner/<int:number>/dokument/", views.version_document, name="version_document"),
    path("<slug:slug>/handlingsplaner/<int:pk>/dokument/", views.action_plan_document, name="action_plan_document"),
]
