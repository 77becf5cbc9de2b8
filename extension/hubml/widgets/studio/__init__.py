"""The Data Studio's parts: state (session, fitting, sources), the sections' widgets, the
step forms, the before/after diff and the chart builder. ``DataStudio`` itself is
``hubml.widgets.data_studio``."""
