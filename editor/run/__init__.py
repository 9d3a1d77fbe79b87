"""Running graphs in the editor.

- :mod:`~editor.run.controller`: Run, Cancel, the engine on the qasync loop, updates per frame;
- :mod:`~editor.run.event_buffer`: engine events coalesced into batches;
- :mod:`~editor.run.input_form`: the Run dialog generated from the Input data models;
- :mod:`~editor.run.model_selector`: graph models or the offline model, in the toolbar;
- :mod:`~editor.run.provider_settings` and :mod:`~editor.run.settings_dialog`: API keys, outside graphs;
- :mod:`~editor.run.canvas_states`: node states and lit edges on the canvas;
- :mod:`~editor.run.banner`: the "edits apply to the next run" strip over the canvas;
- :mod:`~editor.run.history`: the session's runs (the results views live in :mod:`editor.results`);
- :mod:`~editor.run.warmup`: litellm loaded off the UI thread.

Nothing here imports the engine at import time: the editor starts without it.
"""
