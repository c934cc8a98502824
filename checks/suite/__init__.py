"""The suite that runs against `--impl`: every named check, and the book's claims.

`pytest --impl=exercises -k "Affine and backward"` collects from here only.
"""
