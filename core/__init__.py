"""The base package at the bottom: small code the apps share, importing none of them.

The abstract timestamped model (`models`), FilterSet building blocks (`filters`), the API's base
viewsets, fields, renderers and pagination (`api/`), admin helpers (`admin_utils`) and the one
text normaliser (`text`). Not an app: it has no models of its own, no templates and no migrations.
"""
