"""Pieces shared by every part of the product: settings, labels, formats."""
