"""Synalinks' module library as data: introspected, snapshotted, turned into node types.

The runtime worker describes every public module class of the installed
synalinks (``describe_modules`` in ``core/runtime/worker/catalogue.py``: group,
summary, constructor parameters with the docstring's words, how it is
called). :mod:`core.catalogue.snapshot` keeps that description in
``resources/synalinks_catalogue.json`` so machines without a synalinks
environment still offer every module, and :mod:`core.catalogue.node_types`
turns each entry into a :class:`~core.registry.NodeType` with a generated
parameter model (so the inspector's form, validation, export and import come
from the same data). Hand-written node types keep the modules the built-in
engine runs natively; a module a newer synalinks adds appears as a generic
node with its parameters rather than being refused.
"""
