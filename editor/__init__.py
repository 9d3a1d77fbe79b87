"""The Qt editor over :mod:`core`. Importing this package alone does not import Qt."""
