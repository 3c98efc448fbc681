from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nhiemvu.accounts"
    label = "accounts"
