"""The model card's stylesheet: JupyterLab's theme variables, so one sheet fits the light and
the dark theme (in JupyterLab and in Voila's lab template), and wrapping rules so the card
has no horizontal overflow on a narrow (phone) screen; wide tables scroll inside their box."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """<style>
.hubml-card { box-sizing: border-box; padding: 4px 8px 24px; color: var(--jp-ui-font-color1);
  font-family: var(--jp-ui-font-family); overflow-wrap: anywhere; }
.hubml-card * { box-sizing: border-box; }
.hubml-card .widget-html-content { line-height: 1.45; }
.hubml-card-header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; }
.hubml-card-title { margin: 8px 0 2px; font-size: 1.7em; font-weight: 600;
  color: var(--jp-ui-font-color0); overflow-wrap: anywhere; }
.hubml-card-version { color: var(--jp-ui-font-color2); font-size: 1.05em; }
.hubml-card-project { margin-left: auto; color: var(--jp-ui-font-color2); }
.hubml-chip { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 0.85em;
  background: var(--jp-brand-color1, #1976d2); color: #fff; }
.hubml-card-description { margin: 4px 0 10px; color: var(--jp-ui-font-color1); }
.hubml-facts { display: grid; gap: 8px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 190px), 1fr)); }
.hubml-fact { padding: 8px 10px; border-radius: 6px; background: var(--jp-layout-color2);
  display: flex; flex-direction: column; min-width: 0; }
.hubml-fact span { font-size: 0.8em; color: var(--jp-ui-font-color2); text-transform: uppercase;
  letter-spacing: 0.04em; }
.hubml-fact strong { font-weight: 600; overflow-wrap: anywhere; }
.hubml-card-section { margin-top: 14px; padding-top: 4px;
  border-top: 1px solid var(--jp-border-color2); }
.hubml-card-h3 { margin: 8px 0 6px; font-size: 1.15em; font-weight: 600;
  color: var(--jp-ui-font-color0); }
.hubml-muted { color: var(--jp-ui-font-color2); margin: 4px 0; }
.hubml-table-wrap { max-width: 100%; overflow-x: auto; }
.hubml-table { border-collapse: collapse; min-width: min(100%, 360px); }
.hubml-table th, .hubml-table td { padding: 4px 14px 4px 6px; text-align: left;
  border-bottom: 1px solid var(--jp-border-color2); }
.hubml-table th { font-weight: 600; color: var(--jp-ui-font-color2); }
.hubml-table td.hubml-num { font-family: var(--jp-code-font-family); text-align: right; }
.hubml-metrics-table { display: grid; gap: 8px; margin: 4px 0 6px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 150px), 1fr)); }
.hubml-metric { display: flex; flex-direction: column; padding: 6px 10px; border-radius: 6px;
  border: 1px solid var(--jp-border-color2); min-width: 0; }
.hubml-metric span { font-size: 0.82em; color: var(--jp-ui-font-color2);
  overflow-wrap: anywhere; }
.hubml-metric strong { font-family: var(--jp-code-font-family); font-size: 1.15em;
  font-weight: 600; color: var(--jp-ui-font-color0); white-space: nowrap; }
.hubml-charts { min-width: 0; }
.hubml-chart { border: 1px solid var(--jp-border-color2); border-radius: 6px; overflow: hidden; }
/* a responsive plotly chart (MIME renderer) fills its container's height: give it one */
.hubml-chart .js-plotly-plot, .hubml-chart .js-plotly-plot .plot-container {
  height: 300px; width: 100%; }
.hubml-lineage ul { margin: 2px 0 8px; padding-left: 20px; }
.hubml-lineage > div { margin: 4px 0; }
.hubml-recipe { font-family: var(--jp-code-font-family); }
.hubml-exports { display: flex; flex-wrap: wrap; gap: 8px; }
.hubml-export { padding: 4px 12px; border-radius: 14px; text-decoration: none;
  border: 1px solid var(--jp-brand-color1, #1976d2); color: var(--jp-brand-color1, #1976d2); }
.hubml-export:hover { background: var(--jp-brand-color1, #1976d2); color: white; }
.hubml-predict-row { margin: 2px 0; }
.hubml-predict-row .widget-html { margin-bottom: 0; }
.hubml-predict-name { display: block; font-weight: 600; overflow-wrap: anywhere; }
.hubml-predict-type { display: block; font-size: 0.82em; color: var(--jp-ui-font-color2); }
.hubml-predict-field.hubml-invalid input { border-color: var(--jp-error-color1, #d32f2f);
  box-shadow: 0 0 0 1px var(--jp-error-color1, #d32f2f) inset; }
.hubml-field-error { color: var(--jp-error-color1, #d32f2f); }
.hubml-field-warning { color: var(--jp-warn-color1, #f57c00); }
.hubml-predict-status { margin-left: 8px; color: var(--jp-ui-font-color2); }
.hubml-predict-result { margin-top: 8px; }
.hubml-predict-answer { font-size: 1.2em; margin: 4px 0 8px; }
.hubml-predict-label { color: var(--jp-ui-font-color2); margin-right: 6px; }
.hubml-predict-value { color: var(--jp-ui-font-color0); }
.hubml-proba { max-width: 460px; }
.hubml-proba-row { display: grid; grid-template-columns: minmax(4em, 10em) 1fr 4em; gap: 8px;
  align-items: center; margin: 3px 0; }
.hubml-proba-class { overflow-wrap: anywhere; }
.hubml-proba-bar { height: 12px; border-radius: 6px; background: var(--jp-layout-color3); }
.hubml-proba-bar span { display: block; height: 100%; border-radius: 6px;
  background: var(--jp-brand-color1, #1976d2); }
.hubml-proba-value { font-family: var(--jp-code-font-family); text-align: right; }
</style>"""
