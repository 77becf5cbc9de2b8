"""User-facing texts of the widgets, keyed like ``hubml.messages`` ("studio.*", "table.*").

Kept together so they can move into ``hubml.messages`` (the one catalogue translations read)
in one edit; ``msg`` looks there first, so a translated text there wins.
"""

from __future__ import annotations

from ..messages import catalogue

__all__ = ["MESSAGES", "msg"]

MESSAGES: dict[str, str] = {
    # the paged table
    "table.rows": "{shown} of {total} rows",
    "table.rows_filtered": "{shown} of {total} rows match the filter",
    "table.page": "Page",
    "table.of_pages": "of {pages}",
    "table.columns": "Columns {first}-{last} of {total}",
    "table.sort": "Sort by",
    "table.unsorted": "(data order)",
    "table.descending": "Descending",
    "table.filter": "Filter",
    "table.apply_filter": "Apply filter",
    "table.clear_filter": "Clear",
    "table.jump_row": "Go to row",
    "table.page_size": "Rows per page",
    "table.no_column": "there is no column {name!r}; the columns are: {columns}",
    "table.bad_value": "{value!r} is not a {kind} value for column {name!r}",
    "table.bad_op": "the filter operation must be one of {ops}, not {op!r}",
    "table.bad_page": "page must be a whole number from 1 to {pages}, not {page!r}",
    "table.no_rows": "No rows to show.",
    "table.stats_nulls": "missing {nulls} · distinct {distinct}",
    "table.stats_empty": "every value is missing",
    "table.stats_pending": "statistics …",
    # section labels
    "studio.load.upload_file": "Upload file",
    "studio.load.read_upload": "Read upload",
    "studio.load.encoding": "Encoding",
    "studio.load.delimiter": "Delimiter",
    "studio.load.dataset": "Dataset",
    "studio.load.version": "Version",
    "studio.load.load_dataset": "Load dataset",
    "studio.load.refresh": "Refresh the dataset list",
    "studio.load.connection": "Connection",
    "studio.load.sql": "SQL query",
    "studio.load.run_query": "Run query",
    "studio.load.project_file": "Project file",
    "studio.load.open_file": "Open file",
    "studio.load.head_upload": "Upload a file",
    "studio.load.head_dataset": "A dataset version",
    "studio.load.head_sql": "A SQL query",
    "studio.load.head_file": "A file in the project",
    "studio.explore.distribution": "Distribution",
    "studio.explore.missing": "Missing values",
    "studio.explore.correlation": "Correlation",
    "studio.explore.splom": "Scatter matrix",
    "studio.explore.builder": "Chart builder",
    "studio.explore.draw_splom": "Draw scatter matrix",
    "studio.explore.draw_chart": "Draw chart",
    "studio.save.allow_schema": "allow schema change",
    "studio.save.name": "Name",
    "studio.save.description": "Description",
    "studio.cancel_edit": "Cancel edit",
    # the studio
    "studio.title": "Data Studio",
    "studio.tab.load": "Load",
    "studio.tab.table": "Table",
    "studio.tab.transform": "Transform",
    "studio.tab.explore": "Explore",
    "studio.tab.recipe": "Recipe",
    "studio.tab.code": "Code",
    "studio.tab.save": "Save",
    "studio.status": "{source}: {rows} rows x {columns} columns, {steps} steps",
    "studio.no_data": "No data loaded yet: upload a file, pick a dataset or run a query "
                      "in Load.",
    "studio.empty_source": "(nothing loaded)",
    "studio.unexpected": "Something went wrong ({kind}: {problem}); nothing was changed. "
                         "Try again, or report it with these words.",
    "studio.bad_source": "a Data Studio source must be a DataFrame, a dataset, a dataset "
                         "version, a dataset name, a file in the project or a SQL query, "
                         "not {got}",
    "studio.unknown_string": "{text!r} is not a dataset of project {project!r}, not a file in "
                             "it and not a SQL query; datasets: {datasets}",
    "studio.file_outside": "the file {path!r} is not inside the project folder; upload it "
                           "instead",
    "studio.not_frame": "the source gave {got}, not a table of rows and columns",
    "studio.too_many_columns": "{columns} columns: the table shows {shown} at a time "
                               "(use the column arrows); statistics are computed for the "
                               "columns shown",
    "studio.loaded": "Loaded {source}: {rows} rows x {columns} columns.",
    "studio.loading": "Reading {name} ...",
    "studio.upload_hint": "Files up to the notebook server's message limit (10 MB by "
                          "default) upload here; larger files through the Datasets panel.",
    "studio.upload_none": "choose a file to upload first",
    "studio.query_empty": "write a SQL query first",
    "studio.dataset_none": "pick a dataset first",
    # steps and recipe
    "studio.step_type": "Step",
    "studio.preview": "Preview",
    "studio.apply": "Apply",
    "studio.step_added": "Step {index} ({type}) applied: {rows} rows x {columns} columns.",
    "studio.no_preview": "Preview a step to see what it changes on the visible page.",
    "studio.diff_summary": "rows {rows_before} -> {rows_after}; columns added: {added}; "
                           "removed: {removed}; changed cells on this page: {cells}",
    "studio.none": "none",
    "studio.no_steps": "No steps yet: add one in Clean and Transform.",
    "studio.undo": "Undo",
    "studio.redo": "Redo",
    "studio.nothing_undo": "nothing to undo",
    "studio.nothing_redo": "nothing to redo",
    "studio.bad_step_index": "there is no step {index}; the recipe has {count} steps",
    "studio.learned": "learned: {values}",
    "studio.editing": "Editing step {index} ({type}): change the fields and press Apply.",
    "studio.field_json": "{field}: {text!r} is not valid here ({problem})",
    # source tracking
    "studio.changed_outside": "The DataFrame {name} changed outside the Data Studio "
                              "({what}). The studio still shows the copy it loaded.",
    "studio.adopt": "Adopt the new data",
    "studio.keep": "Keep working copy",
    "studio.check_source": "Check source",
    "studio.source_same": "The source DataFrame is unchanged.",
    "studio.adopted": "Adopted the changed DataFrame; the recipe ({steps} steps) was fitted "
                      "on it again.",
    # explore
    "studio.corr.method": "the correlation method must be pearson or spearman, not {method!r}",
    "studio.sampled": "computed on a random sample of {n} of {total} rows",
    "studio.exact": "exact, all {total} rows",
    "studio.no_numeric": "no numeric columns to correlate",
    "studio.no_missing": "No missing values in any of the {columns} columns ({total} rows).",
    "studio.chart.kind": "chart kind must be one of {kinds}, not {kind!r}",
    "studio.chart.need": "a {kind} chart needs {fields}",
    "studio.chart.agg": "aggregation must be one of {aggs}, not {agg!r}",
    "studio.chart.numeric": "{field} {name!r} must be a numeric column for {what}",
    # code and save
    "studio.insert_cell": "Insert as new cell",
    "studio.copy": "Copy",
    "studio.inserted": "The code will appear in a new cell below the next cell you run "
                       "(or press Copy and paste it).",
    "studio.no_kernel": "Not running in a notebook kernel: copy the code instead.",
    "studio.save": "Save dataset",
    "studio.saved": "Saved {name} version {version} ({rows} rows, {store}).",
    "studio.unchanged": "{name} version {version} already holds exactly this data; no new "
                        "version was made.",
    "studio.save_name": "a dataset name is required",
    "studio.no_rows": "the data has no rows, so there is nothing to save; undo the step that "
                      "removed them or load other data",
    "studio.schema_changed": "{message} Tick 'allow schema change' to save it as a new "
                             "version anyway.",
}

msg = catalogue(MESSAGES)
