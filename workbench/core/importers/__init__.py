"""Importers: helpdesk exports and spreadsheets -> training examples with provenance.

One module per source (csv/excel, jsonl, zendesk; Freshdesk, Intercom, Help Scout later as
siblings). Every importer streams, reports progress, honours cancel, and fills an ImportReport.
"""
