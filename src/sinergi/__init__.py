"""Sinergi: from signed agreement to measured results."""
