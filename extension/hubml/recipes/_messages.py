"""User-facing texts of the recipe steps, keyed like ``hubml.messages`` ("recipe.*").

Kept together so they can move into ``hubml.messages`` (the one catalogue translations
read) in one edit; ``msg`` looks there first, so a translated text there wins.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "msg"]

MESSAGES: dict[str, str] = {
    # where an error is: prefixes that RecipeError puts before the text
    "recipe.where.step": "step {index} ({type})",
    "recipe.where.index": "step {index}",
    "recipe.where.type": "{type} step",
    "recipe.where.field": "{where}, field {field!r}: {text}",
    "recipe.where.plain": "{where}: {text}",
    # parameters
    "recipe.param.unknown": "unknown parameter {name!r}; the parameters are: {known}",
    "recipe.param.twice": "parameter {name!r} is given twice (by position and by name)",
    "recipe.param.too_many": "takes at most {count} positional parameters ({known})",
    "recipe.param.missing": "a value is required",
    "recipe.param.type": "must be {expected}, not {got}",
    "recipe.param.choice": "{value!r} is not one of: {choices}",
    "recipe.param.empty": "give at least one column",
    "recipe.param.duplicates": "lists {value!r} more than once",
    "recipe.param.minimum": "must be at least {minimum}, not {value!r}",
    # recipes and JSON
    "recipe.json.not_list": "a recipe is a JSON list of steps, not {got}",
    "recipe.json.not_step": "a step is a JSON object with a \"step\" key, not {got}",
    "recipe.json.unknown": "unknown step type {name!r}; the known steps are: {known}",
    "recipe.not_frame": "a recipe applies to a pandas DataFrame, not {got}",
    "recipe.bad_var": "var must be a Python identifier such as 'df', not {var!r}",
    "recipe.duplicate_columns": "the DataFrame has duplicate column names ({names}); rename "
                                "them first",
    "recipe.pandas_failed": "pandas could not apply this step: {problem}",
    # fitting (learn once, transform many)
    "recipe.not_fitted": "this step has not learned its values yet; call fit(df) first "
                         "(or apply(df), which fits on df)",
    "recipe.recipe_not_fitted": "this recipe is not fitted (step {index} ({type}) has not "
                                "learned its values); call recipe.fit(train_df) first and "
                                "transform with the result",
    "recipe.fit.no_rows": "the data has no rows to learn from; fit on a frame with rows",
    "recipe.learned.not_object": "learned values must be a JSON object, not {got}",
    "recipe.learned.bad": "the stored learned values do not fit this step ({problem}); fit "
                          "the recipe again",
    "recipe.unknown_values": "column {name!r} has values not seen when the recipe was "
                             "fitted: {values}; set handle_unknown to 'ignore' to encode "
                             "them as all zeros, or fit on data that has them",
    "recipe.column.not_finite": "column {name!r} has infinite values, so {what} cannot be "
                                "computed; replace them first (filter_rows or derive)",
    # columns
    "recipe.column.missing": "column {name!r} not found{hint}; columns are: {columns}",
    "recipe.column.hint": " (did you mean {guess!r}?)",
    "recipe.column.not_numeric": "column {name!r} is {dtype}, not numeric; cast it to "
                                 "float64 first or pick a numeric column",
    "recipe.column.has_missing": "column {name!r} has {count} missing values, which {dtype} "
                                 "cannot hold; cast to {instead} or impute first",
    "recipe.column.all_missing": "column {name!r} has no values to compute {what} from",
    "recipe.column.too_many_values": "column {name!r} has {count} distinct values, which "
                                     "would make {count} columns (limit {limit}); use "
                                     "ordinal_encode or bin instead",
    "recipe.value.kind": "column {name!r} is {dtype}; the value must be {kind}, not {value!r}",
    "recipe.value.number": "a number",
    "recipe.value.boolean": "true or false",
    "recipe.value.string": "a string",
    "recipe.value.date": "a date such as '2024-01-31'",
    # step specifics
    "recipe.rename.clash": "renaming gives {name!r} twice; every new name must be unique",
    "recipe.impute.value_needed": "strategy 'constant' needs a value",
    "recipe.impute.value_unused": "a value is used only with strategy 'constant'; remove it "
                                  "or set strategy to 'constant'",
    "recipe.impute.new_category": "column {name!r} is categorical and {value!r} is not one "
                                  "of its categories ({categories}); cast it to string first "
                                  "or pick one of them",
    "recipe.filter.value_list": "operator {op!r} needs a list of values",
    "recipe.filter.value_scalar": "operator {op!r} needs one value (a number, string or "
                                  "boolean)",
    "recipe.filter.null_in_list": "the list for {op!r} cannot hold null; use isnull or "
                                  "notnull for missing values",
    "recipe.filter.value_none": "operator {op!r} takes no value; leave it empty",
    "recipe.filter.datetime_in": "operator {op!r} does not work on dates; use >= and <=",
    "recipe.log.nonpositive": "column {name!r} has values down to {low:g}, so "
                              "log(x + {offset:g}) is undefined; raise offset above {need:g}",
    "recipe.one_hot.clash": "one-hot encoding {name!r} would make column {new!r}, which "
                            "already exists; rename or drop it first",
    "recipe.bin.edges": "edges must be at least two numbers in increasing order",
    "recipe.bin.labels": "give {count} labels (one per bin), not {got}",
    "recipe.sample.one_of": "give exactly one of n and frac",
    "recipe.sample.too_many": "the data has {rows} rows, fewer than n={n}; lower n or use frac",
    "recipe.sample.frac": "must be above 0 and at most 1, not {value!r}",
    "recipe.sort.ascending": "must be true/false or one true/false per column ({count})",
    "recipe.cast.failed": "cannot convert column {name!r} to {dtype} ({problem}); {hint}",
    "recipe.cast.hint_coerce": "set errors to 'coerce' to make such values missing, or pick "
                               "another type",
    "recipe.cast.hint_type": "pick a type that holds missing values (Int64, boolean)",
    "recipe.cast.text_to_bool": "column {name!r} holds text, and every non-empty text would "
                                "become True; derive a true/false column instead, such as "
                                "{name} == 'yes'",
    "recipe.cast.format": "format applies only to datetime64[ns]; remove it",
    "recipe.column.not_text": "column {name!r} is {dtype}, not text; cast it to string "
                              "first or pick a text column",
    "recipe.text.pattern_needed": "operation {op!r} needs a pattern",
    "recipe.text.pattern_unused": "a pattern is used only by 'replace' and 'extract', not "
                                  "{op!r}; remove it",
    "recipe.text.bad_regex": "not a valid regular expression ({problem})",
    "recipe.text.group": "the pattern has {groups} groups, so there is no group {group}; "
                         "add parentheses around the part to keep or lower group",
    "recipe.date.parts": "must be a list of distinct parts from: {parts}",
    "recipe.date.not_date": "column {name!r} is {dtype}; date parts need a datetime column "
                            "or text holding dates",
    "recipe.date.clash": "column {new!r} already exists; rename or drop it first",
    "recipe.read.delimiter": "must be one character such as ',' or ';', not {value!r}",
    "recipe.read.same_mark": "the decimal mark cannot be the delimiter; use delimiter ';' "
                             "with decimal ','",
    "recipe.read.encoding": "{value!r} is not a known text encoding; try utf-8, cp1252 or "
                            "cp1251",
    "recipe.read.format_unused": "date_format needs parse_dates (the columns to read as "
                                 "dates)",
    "recipe.read.not_empty": "read_csv starts a recipe and applies to an empty frame "
                             "(pd.DataFrame()), not one with {rows} rows and {columns} "
                             "columns; to process a frame you have, use the steps after it "
                             "(recipe[1:])",
    "recipe.read.missing": "file {path!r} not found; give a path relative to the "
                           "notebook's folder or an absolute one",
    "recipe.read.decode": "file {path!r} is not {encoding} text ({problem}); set encoding, "
                          "e.g. cp1252 or cp1251",
    "recipe.read.failed": "file {path!r} cannot be read as CSV ({problem}); check the "
                          "delimiter",
    "recipe.split.column": "method {method!r} needs a column",
    "recipe.split.column_unused": "method 'random' takes no column; use 'stratified' to "
                                  "keep a column's proportions",
    "recipe.split.sum": "train, validation and test must add up to 1, not {total:g}",
    "recipe.split.train": "train must be above 0",
    "recipe.split.not_time": "column {name!r} is {dtype}; a time split needs a datetime "
                             "column (cast it first)",
    "recipe.split.exists": "column {name!r} already exists; pick another new_column or "
                           "drop it first",
    # derive expressions
    "recipe.expr.syntax": "{problem}; write an expression such as \"price * quantity\" or "
                          "\"log(income + 1)\"",
    "recipe.expr.too_long": "the expression is longer than {limit} characters",
    "recipe.expr.too_big": "the expression has more than {limit} parts",
    "recipe.expr.not_allowed": "{what} is not allowed; use column names, numbers, strings in "
                               "comparisons, + - * / // % **, comparisons, and/or/not, and "
                               "the functions {functions}",
    "recipe.expr.function": "function {name!r} is not allowed; the functions are: {functions}",
    "recipe.expr.constant_power": "a power of constants (such as 9**9**9) is not allowed; "
                                  "write its value",
    "recipe.expr.string_math": "strings may only be compared (==, !=, <, ...), not used in "
                               "arithmetic",
    "recipe.expr.backtick": "a name in backticks is not closed; write `my column`",
}


def msg(key: str, **fields) -> str:
    from .. import messages

    template = messages.MESSAGES.get(key) or MESSAGES[key]
    return template.format(**fields)
