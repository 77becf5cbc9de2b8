"""The parts of :class:`hubml.widgets.TrainingForm`: fields from JSON Schemas, the live view
of a running job, the result page, saved specs."""

__all__: list[str] = []
