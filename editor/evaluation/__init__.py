"""Evaluation in the editor: a dataset panel, batch runs with progress, results and compare."""
